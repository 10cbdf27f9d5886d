// A large touch button: a label and, smaller, its other-language line.
import QtQuick

Rectangle {
    id: btn
    // the window: palette and sizes (not required: a KButton can be a Repeater delegate)
    property var ui
    property string label
    property string sub
    property string spoken: label  // the accessible name: the label without decoration
    property string hint  // the accessible description (translated by the caller)
    property color fill: ui.action
    property real size: ui.u * 0.5
    signal clicked
    Accessible.role: Accessible.Button
    Accessible.name: btn.spoken
    Accessible.description: btn.hint
    Accessible.onPressAction: if (btn.enabled) btn.clicked()
    implicitHeight: Math.max(ui.u * 1.3, col.implicitHeight + ui.u * 0.4)
    radius: ui.u * 0.18
    color: !enabled ? ui.off : (area.pressed ? Qt.darker(fill, 1.3) : fill)
    border { color: ui.edge; width: enabled ? ui.edgeWidth : 0 }
    Column {
        id: col
        anchors.centerIn: parent
        width: parent.width - ui.u * 0.4
        Text {
            textFormat: Text.PlainText
            width: parent.width
            horizontalAlignment: Text.AlignHCenter
            wrapMode: Text.WordWrap
            text: btn.label
            color: btn.enabled ? ui.ink : ui.offInk
            font { pixelSize: btn.size; bold: true }
        }
        Text {
            textFormat: Text.PlainText
            visible: btn.sub !== ""
            width: parent.width
            horizontalAlignment: Text.AlignHCenter
            wrapMode: Text.WordWrap
            text: btn.sub
            color: btn.enabled ? ui.muted : ui.offInk
            font.pixelSize: btn.size * 0.62
        }
    }
    MouseArea { id: area; anchors.fill: parent; onClicked: btn.clicked() }
    Rectangle {  // voice guidance's focus, for whoever looks on
        visible: voice.focusName !== "" && voice.focusName === btn.objectName
        anchors { fill: parent; margins: -ui.u * 0.1 }
        radius: btn.radius + ui.u * 0.1
        color: "transparent"
        border { color: ui.accent; width: ui.u * 0.08 }
    }
}
