// The band at the top: the mall's name and the language buttons.
import QtQuick

Rectangle {
    id: header
    required property var ui  // the window: palette and sizes
    height: ui.u * 1.6
    color: ui.panel
    Text {
        textFormat: Text.PlainText
        objectName: "mallName"
        anchors { left: parent.left; right: langRow.left; verticalCenter: parent.verticalCenter
                  leftMargin: ui.u * 0.4; rightMargin: ui.u * 0.3 }
        text: kiosk.mallName
        color: ui.ink
        elide: Text.ElideRight
        maximumLineCount: 2
        wrapMode: Text.WordWrap
        font { pixelSize: ui.u * 0.42; bold: true }
    }
    Row {
        id: langRow
        anchors { right: parent.right; verticalCenter: parent.verticalCenter; rightMargin: ui.u * 0.3 }
        spacing: ui.u * 0.15
        Repeater {
            model: [["id", "ID", "Bahasa Indonesia"], ["en", "EN", "English"]]
            Rectangle {
                objectName: "lang-" + modelData[0]
                readonly property bool current: i18n.language === modelData[0]
                Accessible.role: Accessible.Button
                Accessible.name: modelData[2]  // each language by its own name
                Accessible.description: ui.p("langHint")
                Accessible.checkable: true
                Accessible.checked: current
                Accessible.onPressAction: i18n.set_language(modelData[0])
                width: ui.u * 1.25; height: ui.u * 1.1
                radius: ui.u * 0.15
                color: current ? ui.accent : "transparent"
                border { color: ui.accent; width: voice.focusName === objectName ? ui.u * 0.1 : 3 }
                Text {
                    textFormat: Text.PlainText
                    anchors.centerIn: parent
                    text: modelData[1]
                    color: parent.current ? "#000000" : ui.ink
                    font { pixelSize: ui.u * 0.45; bold: true }
                }
                MouseArea { anchors.fill: parent; onClicked: i18n.set_language(modelData[0]) }
            }
        }
    }
}
