// Regular queue or a priority kind (the op catalogue's, kiosk.priorityKinds).
import QtQuick

Item {
    id: page
    required property var ui  // the window: palette, sizes, p() and s()

    Column {
        anchors { horizontalCenter: parent.horizontalCenter; verticalCenter: parent.verticalCenter }
        scale: Math.min(1, parent.height / Math.max(1, implicitHeight))  // large mode, landscape
        width: ui.landscape ? parent.width : Math.min(parent.width, ui.u * 12)
        spacing: ui.u * (ui.landscape ? 0.2 : 0.3)
        Text {
            textFormat: Text.PlainText
            objectName: "chosenService"
            width: parent.width
            horizontalAlignment: Text.AlignHCenter
            wrapMode: Text.WordWrap
            text: ui.nm({"nameId": kiosk.serviceName.id, "nameEn": kiosk.serviceName.en})
            color: ui.accent
            font { pixelSize: ui.u * 0.45; bold: true }
        }
        Title {
            ui: page.ui
            width: parent.width
            primary: ui.p("priorityQ")
            secondary: ui.s("priorityQ")
        }
        Item { width: 1; height: ui.u * 0.1 }
        KButton {
            ui: page.ui
            objectName: "priority-none"
            width: parent.width
            label: ui.p("none")
            sub: ui.s("none")
            hint: ui.p("priorityHint")
            onClicked: kiosk.choosePriority("none")
        }
        Grid {
            id: prio
            width: parent.width
            columns: ui.landscape ? 2 : 1
            spacing: ui.u * 0.25
            Repeater {
                model: kiosk.priorityKinds  // from the op catalogue
                KButton {
                    ui: page.ui
                    objectName: "priority-" + modelData
                    width: (prio.width - prio.spacing * (prio.columns - 1)) / prio.columns
                    fill: ui.priority
                    label: ui.p(modelData)
                    sub: ui.s(modelData)
                    hint: ui.p("priorityHint")
                    onClicked: kiosk.choosePriority(modelData)
                }
            }
        }
        Text {
            textFormat: Text.PlainText
            width: parent.width
            horizontalAlignment: Text.AlignHCenter
            wrapMode: Text.WordWrap
            text: ui.p("priorityHint")
            color: ui.muted
            font.pixelSize: ui.u * 0.32
        }
    }
}
