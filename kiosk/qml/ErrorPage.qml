// A walk-in ticket refused by the server, or no answer: no number was taken.
import QtQuick

MessagePage {
    name: "error"
    key: ["service_closed", "quota_full", "timeout"].indexOf(kiosk.error) >= 0 ? kiosk.error
                                                                              : "otherError"
    sign: ui.danger
    glyph: "!"
    hint: ui.p("errorHint")
}
