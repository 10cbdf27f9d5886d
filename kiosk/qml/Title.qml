// A screen's title in the chosen language, the other language below.
import QtQuick

Column {
    id: title
    required property var ui  // the window: palette and sizes
    property string primary
    property string secondary
    spacing: ui.u * 0.05
    Text {
        textFormat: Text.PlainText
        width: parent.width
        horizontalAlignment: Text.AlignHCenter
        wrapMode: Text.WordWrap
        text: title.primary
        color: ui.ink
        font { pixelSize: ui.u * 0.7; bold: true }
    }
    Text {
        textFormat: Text.PlainText
        visible: title.secondary !== ""
        width: parent.width
        horizontalAlignment: Text.AlignHCenter
        wrapMode: Text.WordWrap
        text: title.secondary
        color: ui.muted
        font.pixelSize: ui.u * 0.4
    }
}
