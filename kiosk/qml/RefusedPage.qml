// A scan or an appointment check-in refused (kiosk.error names why); back to welcome by
// itself, or by the Done button.
import QtQuick

MessagePage {
    id: refused
    readonly property var refusals: ["appointment_unknown", "appointment_used",
        "appointment_expired", "appointment_too_early", "appointment_other_site",
        "scan_garbage", "scan_too_long", "scan_not_appointment", "personal_data", "timeout",
        "printer_out"]
    name: "refused"
    key: refusals.indexOf(kiosk.error) >= 0 ? kiosk.error : "otherError"
    sign: ui.warn
    glyph: "?"
    hint: ui.p("refusedHint") + "\n" + ui.s("refusedHint")

    KButton {
        ui: refused.ui
        objectName: "refusedDone"
        anchors.horizontalCenter: parent.horizontalCenter
        width: ui.u * 5
        label: ui.p("done")
        sub: ui.s("done")
        hint: ui.p("doneHint")
        onClicked: kiosk.leave()
    }
}
