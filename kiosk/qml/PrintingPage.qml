// While the ticket is requested and printed.
import QtQuick

Item {
    id: page
    required property var ui  // the window: palette, sizes, p() and s()

    Column {
        anchors.centerIn: parent
        width: parent.width
        spacing: ui.u * 0.6
        Rectangle {
            anchors.horizontalCenter: parent.horizontalCenter
            width: ui.u * 1.6; height: width; radius: width / 2
            color: "transparent"
            border { color: ui.accent; width: ui.u * 0.18 }
            Rectangle {
                width: ui.u * 0.4; height: width; radius: width / 2
                color: ui.bg
                x: parent.width / 2 - width / 2
                y: -height / 4
            }
            RotationAnimation on rotation { from: 0; to: 360; duration: 1200; loops: Animation.Infinite }
        }
        Title {
            ui: page.ui
            objectName: "printingText"
            width: parent.width
            primary: ui.p("printing")
            secondary: ui.s("printing")
        }
    }
}
