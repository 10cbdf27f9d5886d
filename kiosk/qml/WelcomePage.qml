// The welcome screen: the mall's name, the start button and, with a scanner, the
// appointment hint. While this kiosk cannot print and another one can (kiosk.elsewhere),
// that kiosk's name instead of the start button.
import QtQuick

Item {
    id: page
    required property var ui  // the window: palette, sizes, p() and s()

    Column {
        id: column
        anchors.centerIn: parent
        // shrunk to fit when a notice or large mode leaves too little room (landscape)
        scale: Math.min(1, page.height / Math.max(1, implicitHeight))
        width: Math.min(parent.width, ui.u * (ui.landscape ? 16 : 11))
        spacing: ui.u * (ui.landscape || ui.large ? 0.3 : 0.6)
        Title {
            ui: page.ui
            width: parent.width
            primary: ui.p("welcome")
            secondary: ui.s("welcome")
        }
        Text {
            textFormat: Text.PlainText
            objectName: "welcomeMall"
            width: parent.width
            horizontalAlignment: Text.AlignHCenter
            wrapMode: Text.WordWrap
            text: kiosk.mallName
            color: ui.accent
            font { pixelSize: ui.u * 0.75; bold: true }
        }
        Item { width: 1; height: ui.landscape || ui.large ? 0 : ui.u * 0.4 }
        Rectangle {
            objectName: "elsewherePanel"
            visible: kiosk.elsewhere !== ""
            width: parent.width
            height: elsewhereCol.implicitHeight + ui.u * 0.6
            radius: ui.u * 0.15
            color: ui.panel
            border { color: "#8a5a00"; width: ui.u * 0.06 }
            Column {
                id: elsewhereCol
                anchors.centerIn: parent
                width: parent.width - ui.u * 0.6
                spacing: ui.u * 0.15
                readonly property string why: kiosk.printerState === "paper_out" ? "outOfPaper" : "cannotPrint"
                Text {
                    textFormat: Text.PlainText
                    objectName: "elsewhereWhy"
                    width: parent.width
                    horizontalAlignment: Text.AlignHCenter
                    wrapMode: Text.WordWrap
                    text: ui.p(elsewhereCol.why) + "\n" + ui.s(elsewhereCol.why)
                    color: ui.ink
                    font { pixelSize: ui.u * 0.45; bold: true }
                }
                Text {
                    textFormat: Text.PlainText
                    width: parent.width
                    horizontalAlignment: Text.AlignHCenter
                    wrapMode: Text.WordWrap
                    text: ui.p("goTo") + "\n" + ui.s("goTo")
                    color: ui.muted
                    font.pixelSize: ui.u * 0.38
                }
                Text {
                    textFormat: Text.PlainText
                    objectName: "elsewhereKiosk"
                    width: parent.width
                    horizontalAlignment: Text.AlignHCenter
                    wrapMode: Text.WordWrap
                    text: "➜ " + kiosk.elsewhere
                    color: ui.accent
                    font { pixelSize: ui.u * 0.65; bold: true }
                }
            }
        }
        KButton {
            ui: page.ui
            objectName: "startButton"
            visible: kiosk.elsewhere === ""
            width: ui.landscape ? ui.u * 11 : parent.width
            anchors.horizontalCenter: parent.horizontalCenter
            height: ui.u * (ui.landscape || ui.large ? 2.2 : 3)
            size: ui.u * (ui.large ? 0.7 : 0.85)
            enabled: kiosk.hasConfig
            label: kiosk.hasConfig ? ui.p("take") : ui.p("loading")
            sub: kiosk.hasConfig ? ui.s("take") : ui.s("loading")
            hint: ui.p("startHint")
            onClicked: kiosk.start()
        }
        Text {
            textFormat: Text.PlainText
            visible: kiosk.elsewhere === "" && !ui.large  // the large button says it already
            width: parent.width
            horizontalAlignment: Text.AlignHCenter
            wrapMode: Text.WordWrap
            text: ui.p("touch") + "\n" + ui.s("touch")
            color: ui.muted
            font.pixelSize: ui.u * 0.38
        }
        KButton {
            ui: page.ui
            objectName: "largeButton"
            anchors.horizontalCenter: parent.horizontalCenter
            width: Math.min(parent.width, ui.u * 7)
            fill: ui.panel
            size: ui.u * 0.55
            label: "Aa  " + (ui.large ? ui.p("normalText") : ui.p("largeText"))
            spoken: ui.large ? ui.p("normalText") : ui.p("largeText")
            sub: ui.large ? ui.s("normalText") : ui.s("largeText")
            hint: ui.p("largeHint")
            onClicked: kiosk.setLarge(!kiosk.large)
        }
        Rectangle {
            visible: kiosk.hasScanner && kiosk.scannerOk && kiosk.hasConfig && kiosk.elsewhere === ""
            width: parent.width
            height: scanCol.implicitHeight + ui.u * 0.4
            radius: ui.u * 0.15
            color: ui.panel
            border { color: ui.accent; width: 2 }
            Column {
                id: scanCol
                anchors.centerIn: parent
                width: parent.width - ui.u * 0.6
                Text {
                    textFormat: Text.PlainText
                    objectName: "scanHint"
                    width: parent.width
                    horizontalAlignment: Text.AlignHCenter
                    wrapMode: Text.WordWrap
                    text: "▣  " + ui.p("scanHint")
                    color: ui.ink
                    font { pixelSize: ui.u * 0.42; bold: true }
                }
                Text {
                    textFormat: Text.PlainText
                    objectName: "scanHintAlt"
                    width: parent.width
                    horizontalAlignment: Text.AlignHCenter
                    wrapMode: Text.WordWrap
                    text: ui.s("scanHint")
                    color: ui.muted
                    font.pixelSize: ui.u * 0.34
                }
            }
        }
    }
}
