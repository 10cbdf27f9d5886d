// A message screen: a round sign, the message in both languages and a hint below.
// ErrorPage and RefusedPage; children given to it go at the end of the column.
import QtQuick

Item {
    id: page
    required property var ui  // the window: palette, sizes, p() and s()
    property string name  // the texts' objectNames: <name>Text, <name>TextAlt
    property string key  // the message's entry in the window's `words`
    property color sign
    property string glyph
    property string hint
    default property alias extra: column.data

    Column {
        id: column
        anchors.centerIn: parent
        scale: Math.min(1, parent.height / Math.max(1, implicitHeight))  // large mode, landscape
        width: Math.min(parent.width, ui.u * 12)
        spacing: ui.u * 0.5
        Rectangle {
            anchors.horizontalCenter: parent.horizontalCenter
            width: ui.u * 1.6; height: width; radius: width / 2
            color: page.sign
            Text {
                textFormat: Text.PlainText
                anchors.centerIn: parent; text: page.glyph; color: ui.ink
                font { pixelSize: ui.u * 1.1; bold: true }
            }
        }
        Text {
            textFormat: Text.PlainText
            objectName: page.name + "Text"
            width: parent.width
            horizontalAlignment: Text.AlignHCenter
            wrapMode: Text.WordWrap
            text: ui.p(page.key)
            color: ui.ink
            font { pixelSize: ui.u * 0.65; bold: true }
        }
        Text {
            textFormat: Text.PlainText
            objectName: page.name + "TextAlt"
            width: parent.width
            horizontalAlignment: Text.AlignHCenter
            wrapMode: Text.WordWrap
            text: ui.s(page.key)
            color: ui.muted
            font.pixelSize: ui.u * 0.45
        }
        Text {
            textFormat: Text.PlainText
            width: parent.width
            horizontalAlignment: Text.AlignHCenter
            wrapMode: Text.WordWrap
            text: page.hint
            color: ui.muted
            font.pixelSize: ui.u * 0.36
        }
    }
}
