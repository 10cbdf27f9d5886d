// The chosen agency's services (kiosk.services): waiting and wait, or why closed.
import QtQuick

Item {
    id: page
    required property var ui  // the window: palette, sizes, p() and s()

    function closedText(sv) {
        if (sv.reason === "hours")
            return sv.hours ? ui.p("opens").arg(sv.hours) : ui.p("closedToday")
        if (sv.reason === "supervisor" || sv.reason === "quota") return ui.p(sv.reason)
        return ui.p("unknown")
    }

    Title {
        id: serviceTitle
        ui: page.ui
        anchors { left: parent.left; right: parent.right; top: parent.top }
        primary: ui.p("chooseService")
        secondary: ui.nm({"nameId": kiosk.agencyName.id, "nameEn": kiosk.agencyName.en})
    }
    Flickable {
        id: serviceFlick
        anchors { left: parent.left; right: parent.right; top: serviceTitle.bottom
                  bottom: pager.top; topMargin: ui.u * 0.4; bottomMargin: ui.large ? ui.u * 0.3 : 0 }
        contentHeight: list.height
        clip: true
        boundsBehavior: Flickable.StopAtBounds
        Grid {
            id: list
            width: parent.width
            columns: ui.landscape ? 2 : 1
            spacing: ui.u * 0.25
            // large mode: as many rows of a two-line service as fit, at most four
            readonly property int perPage: Math.max(1, Math.min(4, Math.floor(
                (serviceFlick.height + spacing) / (ui.u * 1.9 + spacing)))) * columns
            Repeater {
                model: kiosk.services
                Rectangle {
                    id: row
                    objectName: "service-" + model.id
                    readonly property bool open: model.open
                    enabled: open  // a screen reader says "unavailable" too
                    visible: pager.shows(index)
                    Accessible.role: Accessible.Button
                    Accessible.name: ui.nm(model)
                    Accessible.description: status.text
                    Accessible.onPressAction: if (open) kiosk.chooseService(model.id)
                    width: (list.width - list.spacing * (list.columns - 1)) / list.columns
                    height: Math.max(ui.u * 1.9, info.implicitHeight + ui.u * 0.4)
                    radius: ui.u * 0.18
                    color: !open ? ui.off : (mouse.pressed ? Qt.darker(ui.action, 1.3) : ui.action)
                    readonly property bool voiced: voice.focusName === objectName
                    border { color: voiced ? ui.accent : (open ? ui.edge : "transparent")
                             width: voiced ? ui.u * 0.1 : ui.edgeWidth }
                    Column {
                        id: info
                        anchors { left: parent.left; right: parent.right; verticalCenter: parent.verticalCenter
                                  leftMargin: ui.u * 0.35; rightMargin: ui.u * 0.35 }
                        spacing: ui.u * 0.08
                        Text {
                            textFormat: Text.PlainText
                            width: parent.width
                            text: ui.nm(model)
                            wrapMode: Text.WordWrap
                            color: row.open ? ui.ink : ui.offInk
                            font { pixelSize: ui.u * 0.45; bold: true }
                        }
                        Text {
                            id: status
                            textFormat: Text.PlainText
                            objectName: "serviceStatus-" + model.id
                            width: parent.width
                            wrapMode: Text.WordWrap
                            text: row.open
                                  ? ui.p("waiting").arg(model.waiting) + "  ·  " + ui.waitText(model.waitMin, false)
                                  : page.closedText(model)
                            color: row.open ? ui.accent : ui.offInk
                            font { pixelSize: ui.u * 0.36; bold: !row.open }
                        }
                    }
                    MouseArea {
                        id: mouse
                        anchors.fill: parent
                        enabled: row.open
                        onClicked: kiosk.chooseService(model.id)
                    }
                }
            }
        }
    }
    Pager {
        id: pager
        ui: page.ui
        anchors { left: parent.left; right: parent.right; bottom: parent.bottom }
        count: kiosk.services.count
        per: ui.large ? list.perPage : Math.max(1, count)
    }
    Connections {  // the page of the service voice guidance speaks of
        target: voice
        function onFocusChanged() { if (voice.focusName.indexOf("service-") === 0) pager.reveal(voice.focusIndex) }
    }
}
