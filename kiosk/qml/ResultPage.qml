// The number, its counters, the people ahead and the wait; when the print failed,
// larger with its QR, to photograph, and the offer of one copy (kiosk.copy).
import QtQuick

Item {
    id: result
    required property var ui  // the window: palette, sizes, p() and s()

    readonly property bool printed: kiosk.printError === "" || kiosk.copy === "printed"
    Column {
        anchors.centerIn: parent
        scale: Math.min(1, parent.height / Math.max(1, implicitHeight))  // large mode, landscape
        width: ui.landscape ? parent.width : Math.min(parent.width, ui.u * 13)
        spacing: ui.u * 0.25
        Notice {
            ui: result.ui
            objectName: "printProblem"
            visible: !result.printed
            primary: ui.p(kiosk.copy === "failed" ? "copyFailed" : "printProblem")
            secondary: ui.s(kiosk.copy === "failed" ? "copyFailed" : "printProblem")
        }
        Title {
            ui: result.ui
            width: parent.width
            primary: ui.p("yourNumber")
            secondary: ui.s("yourNumber")
        }
        Grid {
            id: resultGrid
            anchors.horizontalCenter: parent.horizontalCenter
            columns: ui.landscape ? 2 : 1
            columnSpacing: ui.u * 0.5
            rowSpacing: ui.u * 0.25
            readonly property real cell: ui.landscape ? (parent.width - columnSpacing) / 2 : parent.width
            Item {
                width: resultGrid.cell
                height: numberRow.height
                Row {
                    id: numberRow
                    anchors.horizontalCenter: parent.horizontalCenter
                    spacing: ui.u * 0.5
                    Text {
                        textFormat: Text.PlainText
                        objectName: "ticketNumber"
                        anchors.verticalCenter: parent.verticalCenter
                        text: kiosk.ticket.number || ""
                        color: ui.accent
                        // as large in both modes: the number already fills the width
                        font { pixelSize: ui.u / ui.zoom * (result.printed ? 2.6 : 2.0); bold: true; family: "DejaVu Sans" }
                    }
                    Rectangle {
                        visible: !result.printed && (kiosk.ticket.qr || "") !== ""
                        anchors.verticalCenter: parent.verticalCenter
                        width: ui.u / ui.zoom * (ui.landscape ? 3.2 : 3.6); height: width
                        color: "#ffffff"
                        Image {
                            objectName: "ticketQr"
                            anchors.fill: parent
                            anchors.margins: ui.u * 0.1
                            source: kiosk.ticket.qr || ""
                            smooth: false
                            fillMode: Image.PreserveAspectFit
                        }
                    }
                }
            }
            Column {
                width: resultGrid.cell
                spacing: ui.u * 0.2
                Text {
                    textFormat: Text.PlainText
                    objectName: "ticketService"
                    width: parent.width
                    horizontalAlignment: Text.AlignHCenter
                    wrapMode: Text.WordWrap
                    text: ui.nm({"nameId": kiosk.serviceName.id, "nameEn": kiosk.serviceName.en})
                    color: ui.ink
                    font { pixelSize: ui.u * 0.42; bold: true }
                }
                Text {
                    textFormat: Text.PlainText
                    objectName: "ticketSlot"
                    visible: (kiosk.ticket.slot || "") !== ""
                    width: parent.width
                    horizontalAlignment: Text.AlignHCenter
                    wrapMode: Text.WordWrap
                    text: ui.p("appointmentAt").arg(kiosk.ticket.slot || "") + "  ·  "
                          + ui.s("appointmentAt").arg(kiosk.ticket.slot || "")
                    color: ui.accent
                    font { pixelSize: ui.u * 0.38; bold: true }
                }
                Rectangle {
                    width: parent.width
                    height: facts.implicitHeight + ui.u * 0.4
                    radius: ui.u * 0.15
                    color: ui.panel
                    Column {
                        id: facts
                        anchors.centerIn: parent
                        width: parent.width - ui.u * 0.6
                        spacing: ui.u * 0.12
                        Repeater {
                            model: [
                                ["ticketCounters", "counters", kiosk.ticket.counters || "-"],
                                ["ticketAhead", "ahead", String(kiosk.ticket.ahead === undefined ? "" : kiosk.ticket.ahead)],
                                ["ticketWait", "estWait", ui.waitText(kiosk.ticket.waitMin || 0, false)]
                            ]
                            Item {
                                width: facts.width
                                height: Math.max(label.implicitHeight, value.implicitHeight)
                                Text {
                                    id: label
                                    textFormat: Text.PlainText
                                    anchors { left: parent.left; right: value.left; rightMargin: ui.u * 0.2 }
                                    wrapMode: Text.WordWrap
                                    text: ui.p(modelData[1]) + "\n" + ui.s(modelData[1])
                                    color: ui.muted
                                    font.pixelSize: ui.u * 0.34
                                }
                                Text {
                                    id: value
                                    textFormat: Text.PlainText
                                    objectName: modelData[0]
                                    anchors { right: parent.right; verticalCenter: parent.verticalCenter }
                                    width: Math.min(implicitWidth, facts.width * 0.55)
                                    horizontalAlignment: Text.AlignRight
                                    wrapMode: Text.WordWrap
                                    text: modelData[2]
                                    color: ui.ink
                                    font { pixelSize: ui.u * 0.52; bold: true }
                                }
                            }
                        }
                    }
                }
            }
        }
        Text {
            textFormat: Text.PlainText
            objectName: "takeTicket"
            visible: result.printed
            width: parent.width
            horizontalAlignment: Text.AlignHCenter
            wrapMode: Text.WordWrap
            text: ui.p(kiosk.copy === "printed" ? "takeCopy" : "takeTicket") + "\n"
                  + ui.s(kiosk.copy === "printed" ? "takeCopy" : "takeTicket")
            color: ui.accent
            font { pixelSize: ui.u * 0.42; bold: true }
        }
        Row {
            anchors.horizontalCenter: parent.horizontalCenter
            spacing: ui.u * 0.4
            KButton {
                ui: result.ui
                objectName: "reprintButton"
                visible: kiosk.copy === "offered" || kiosk.copy === "failed" || kiosk.copy === "printing"
                enabled: kiosk.copy !== "printing"
                width: Math.min(ui.u * 5, (result.width - ui.u * 0.4) / 2)  // large mode
                label: ui.p(kiosk.copy === "printing" ? "copyPrinting" : "copy")
                sub: ui.s(kiosk.copy === "printing" ? "copyPrinting" : "copy")
                onClicked: kiosk.reprint()
            }
            KButton {
                ui: result.ui
                objectName: "doneButton"
                width: Math.min(ui.u * 5, (result.width - ui.u * 0.4) / 2)  // large mode
                label: ui.p("done")
                sub: ui.s("done")
                hint: ui.p("doneHint")
                onClicked: kiosk.leave()
            }
        }
    }
}
