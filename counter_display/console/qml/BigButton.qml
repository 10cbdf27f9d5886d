// A large touch button with its keyboard shortcut shown in a corner.
import QtQuick

Rectangle {
    id: button
    property string label: ""
    property string shortcut: ""
    property color tint: "#2d6cdf"
    property bool active: true
    property real textSize: Math.min(height * 0.26, width * 0.14)
    signal clicked()

    radius: height * 0.12
    color: !active ? "#3a3f47" : area.pressed ? Qt.darker(tint, 1.3) : tint
    opacity: active ? 1.0 : 0.55

    Text {
        textFormat: Text.PlainText
        objectName: button.objectName + "Label"
        anchors { fill: parent; margins: button.height * 0.1 }
        horizontalAlignment: Text.AlignHCenter
        verticalAlignment: Text.AlignVCenter
        wrapMode: Text.WordWrap
        text: button.label
        color: "#ffffff"
        font { pixelSize: button.textSize; bold: true }
    }
    Text {
        textFormat: Text.PlainText
        visible: button.shortcut !== ""
        anchors { right: parent.right; top: parent.top; margins: button.height * 0.07 }
        text: button.shortcut
        color: "#ffffff"
        opacity: 0.8
        font.pixelSize: button.height * 0.16
    }
    MouseArea {
        id: area
        anchors.fill: parent
        enabled: button.active
        onClicked: button.clicked()
    }
}
