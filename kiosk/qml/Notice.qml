// A coloured bilingual message band (offline, printer, print problem).
import QtQuick

Rectangle {
    id: notice
    required property var ui  // the window: palette and sizes
    property string primary
    property string secondary
    property color fill: ui.danger
    width: parent ? parent.width : 0
    height: noticeCol.implicitHeight + ui.u * 0.3
    radius: ui.u * 0.12
    color: fill
    Column {
        id: noticeCol
        anchors.centerIn: parent
        width: parent.width - ui.u * 0.4
        Text {
            textFormat: Text.PlainText
            width: parent.width
            horizontalAlignment: Text.AlignHCenter
            wrapMode: Text.WordWrap
            text: notice.primary
            color: ui.ink
            font { pixelSize: ui.u * 0.42; bold: true }
        }
        Text {
            textFormat: Text.PlainText
            width: parent.width
            horizontalAlignment: Text.AlignHCenter
            wrapMode: Text.WordWrap
            text: notice.secondary
            color: ui.ink
            font.pixelSize: ui.u * 0.32
        }
    }
}
