// The citizen kiosk: welcome -> agency -> service -> priority -> printing -> result.
// A scanned appointment QR: -> printing -> result, or "refused" (a message that goes back
// to welcome by itself).
// Full screen, large type, high contrast, touch targets >= 1 unit (90 px at 1080 wide).
// Context properties: bridge (StateBridge), kiosk (KioskModel), i18n (Translations).
// Texts: English sources in `words` (QT_TR_NOOP); p() gives the chosen language,
// s() the other one for the smaller second line.
import QtQuick

Window {
    id: root
    width: 1080
    height: 1920
    visible: true
    color: root.bg
    title: "MPP Kiosk"

    readonly property real u: Math.min(width, height) / 12  // 90 px on a 1080 px side
    readonly property bool landscape: width > height
    readonly property color bg: "#0a1a33"
    readonly property color panel: "#13294d"
    readonly property color ink: "#ffffff"
    readonly property color muted: "#c9d3e3"
    readonly property color accent: "#ffd400"
    readonly property color action: "#0b63ce"
    readonly property color off: "#3b4455"
    readonly property color offInk: "#c4c8cf"
    readonly property color danger: "#c62828"

    readonly property var words: ({
        "take": QT_TR_NOOP("Take a number"),
        "touch": QT_TR_NOOP("Touch the button to start"),
        "welcome": QT_TR_NOOP("Welcome"),
        "chooseAgency": QT_TR_NOOP("Choose an agency"),
        "chooseService": QT_TR_NOOP("Choose a service"),
        "waiting": QT_TR_NOOP("%1 waiting"),
        "waitMin": QT_TR_NOOP("about %1 min"),
        "waitSoon": QT_TR_NOOP("no wait"),
        "opens": QT_TR_NOOP("Closed now · hours today %1"),
        "closedToday": QT_TR_NOOP("Closed today"),
        "supervisor": QT_TR_NOOP("Temporarily closed"),
        "quota": QT_TR_NOOP("Quota full for today"),
        "unknown": QT_TR_NOOP("Not available"),
        "priorityQ": QT_TR_NOOP("Do you need priority service?"),
        "priorityHint": QT_TR_NOOP("Priority citizens are served first (UU 25/2009)"),
        "none": QT_TR_NOOP("No, regular queue"),
        "elderly": QT_TR_NOOP("Elderly (60+)"),
        "disabled": QT_TR_NOOP("Person with a disability"),
        "pregnant": QT_TR_NOOP("Pregnant"),
        "child": QT_TR_NOOP("With a small child"),
        "printing": QT_TR_NOOP("Printing your ticket…"),
        "yourNumber": QT_TR_NOOP("Your queue number"),
        "counters": QT_TR_NOOP("Counter"),
        "ahead": QT_TR_NOOP("People ahead of you"),
        "estWait": QT_TR_NOOP("Estimated wait"),
        "takeTicket": QT_TR_NOOP("Please take your ticket below"),
        "printProblem": QT_TR_NOOP("Printer problem: please photograph this number"),
        "done": QT_TR_NOOP("Done"),
        "back": QT_TR_NOOP("Back"),
        "home": QT_TR_NOOP("Home"),
        "service_closed": QT_TR_NOOP("This service is closed right now"),
        "quota_full": QT_TR_NOOP("Today's quota for this service is full"),
        "timeout": QT_TR_NOOP("Server unreachable, please try again"),
        "otherError": QT_TR_NOOP("Something went wrong, please try again"),
        "errorHint": QT_TR_NOOP("No number was taken. Please choose again or ask an officer."),
        "offline": QT_TR_NOOP("Server unreachable: reconnecting…"),
        "paper_out": QT_TR_NOOP("Printer out of paper: your number will be shown on the screen"),
        "printerDown": QT_TR_NOOP("Printer problem: your number will be shown on the screen"),
        "loading": QT_TR_NOOP("Connecting to the queue server…"),
        "scanHint": QT_TR_NOOP("Have an appointment? Hold its QR code under the scanner"),
        "appointmentAt": QT_TR_NOOP("Appointment %1"),
        "appointment_unknown": QT_TR_NOOP("This appointment code was not found"),
        "appointment_used": QT_TR_NOOP("This appointment has already been checked in"),
        "appointment_expired": QT_TR_NOOP("The time of this appointment has passed"),
        "appointment_too_early": QT_TR_NOOP("This appointment is not for today"),
        "appointment_other_site": QT_TR_NOOP("This appointment is for another service mall"),
        "scan_garbage": QT_TR_NOOP("The code could not be read, please scan again"),
        "scan_too_long": QT_TR_NOOP("This code is not an appointment QR code"),
        "scan_not_appointment": QT_TR_NOOP("This is a queue ticket, not an appointment QR code"),
        "refusedHint": QT_TR_NOOP("Please ask the information desk, or take a regular number.")
    })
    readonly property var refusals: ["appointment_unknown", "appointment_used", "appointment_expired",
        "appointment_too_early", "appointment_other_site", "scan_garbage", "scan_too_long",
        "scan_not_appointment", "timeout"]

    // Both read i18n.language so that a language switch re-evaluates them.
    function p(key) { return i18n.language ? qsTr(words[key]) : "" }
    function s(key) { return i18n.language ? i18n.alt("KioskScreen", words[key]) : "" }
    function nm(o) { return !o ? "" : (i18n.language === "en" ? o.nameEn : o.nameId) }
    function waitText(min, lang2) {
        if (min <= 0) return lang2 ? s("waitSoon") : p("waitSoon")
        return (lang2 ? s("waitMin") : p("waitMin")).arg(min)
    }
    function closedText(sv) {
        if (sv.reason === "hours")
            return sv.hours ? p("opens").arg(sv.hours) : p("closedToday")
        if (sv.reason === "supervisor" || sv.reason === "quota") return p(sv.reason)
        return p("unknown")
    }
    function initials(text) {
        var parts = text.split(" ").filter(function (w) { return w.length > 2 })
        return parts.slice(0, 2).map(function (w) { return w[0].toUpperCase() }).join("")
    }

    // ---------------------------------------------------------------- components

    component KButton: Rectangle {
        id: btn
        property string label
        property string sub
        property color fill: root.action
        property real size: root.u * 0.5
        signal clicked
        implicitHeight: Math.max(root.u * 1.3, col.implicitHeight + root.u * 0.4)
        radius: root.u * 0.18
        color: !enabled ? root.off : (area.pressed ? Qt.darker(fill, 1.3) : fill)
        border { color: root.ink; width: enabled ? 2 : 0 }
        Column {
            id: col
            anchors.centerIn: parent
            width: parent.width - root.u * 0.4
            Text {
                width: parent.width
                horizontalAlignment: Text.AlignHCenter
                wrapMode: Text.WordWrap
                text: btn.label
                color: btn.enabled ? root.ink : root.offInk
                font { pixelSize: btn.size; bold: true }
            }
            Text {
                visible: btn.sub !== ""
                width: parent.width
                horizontalAlignment: Text.AlignHCenter
                wrapMode: Text.WordWrap
                text: btn.sub
                color: btn.enabled ? root.muted : root.offInk
                font.pixelSize: btn.size * 0.62
            }
        }
        MouseArea { id: area; anchors.fill: parent; onClicked: btn.clicked() }
    }

    component Title: Column {
        property string primary
        property string secondary
        spacing: root.u * 0.05
        Text {
            width: parent.width
            horizontalAlignment: Text.AlignHCenter
            wrapMode: Text.WordWrap
            text: parent.primary
            color: root.ink
            font { pixelSize: root.u * 0.7; bold: true }
        }
        Text {
            visible: parent.secondary !== ""
            width: parent.width
            horizontalAlignment: Text.AlignHCenter
            wrapMode: Text.WordWrap
            text: parent.secondary
            color: root.muted
            font.pixelSize: root.u * 0.4
        }
    }

    component Notice: Rectangle {
        property string primary
        property string secondary
        property color fill: root.danger
        width: parent ? parent.width : 0
        height: noticeCol.implicitHeight + root.u * 0.3
        radius: root.u * 0.12
        color: fill
        Column {
            id: noticeCol
            anchors.centerIn: parent
            width: parent.width - root.u * 0.4
            Text {
                width: parent.width
                horizontalAlignment: Text.AlignHCenter
                wrapMode: Text.WordWrap
                text: parent.parent.primary
                color: root.ink
                font { pixelSize: root.u * 0.42; bold: true }
            }
            Text {
                width: parent.width
                horizontalAlignment: Text.AlignHCenter
                wrapMode: Text.WordWrap
                text: parent.parent.secondary
                color: root.ink
                font.pixelSize: root.u * 0.32
            }
        }
    }

    // ---------------------------------------------------------------- header

    Rectangle {
        id: header
        anchors { left: parent.left; right: parent.right; top: parent.top }
        height: root.u * 1.6
        color: root.panel
        Text {
            objectName: "mallName"
            anchors { left: parent.left; right: langRow.left; verticalCenter: parent.verticalCenter
                      leftMargin: root.u * 0.4; rightMargin: root.u * 0.3 }
            text: kiosk.mallName
            color: root.ink
            elide: Text.ElideRight
            maximumLineCount: 2
            wrapMode: Text.WordWrap
            font { pixelSize: root.u * 0.42; bold: true }
        }
        Row {
            id: langRow
            anchors { right: parent.right; verticalCenter: parent.verticalCenter; rightMargin: root.u * 0.3 }
            spacing: root.u * 0.15
            Repeater {
                model: [["id", "ID"], ["en", "EN"]]
                Rectangle {
                    objectName: "lang-" + modelData[0]
                    readonly property bool current: i18n.language === modelData[0]
                    width: root.u * 1.25; height: root.u * 1.1
                    radius: root.u * 0.15
                    color: current ? root.accent : "transparent"
                    border { color: root.accent; width: 3 }
                    Text {
                        anchors.centerIn: parent
                        text: modelData[1]
                        color: parent.current ? "#000000" : root.ink
                        font { pixelSize: root.u * 0.45; bold: true }
                    }
                    MouseArea { anchors.fill: parent; onClicked: i18n.set_language(modelData[0]) }
                }
            }
        }
    }

    Column {
        id: notices
        anchors { left: parent.left; right: parent.right; top: header.bottom
                  leftMargin: root.u * 0.3; rightMargin: root.u * 0.3; topMargin: root.u * 0.2 }
        spacing: root.u * 0.15
        Notice {
            objectName: "offlineBanner"
            visible: bridge.status === "server_offline" || bridge.status === "broker_unreachable"
            primary: root.p("offline")
            secondary: root.s("offline")
        }
        Notice {
            objectName: "printerWarning"
            visible: !kiosk.printerOk && kiosk.screen !== "result"
            fill: "#8a5a00"
            primary: root.p(kiosk.printerState === "paper_out" ? "paper_out" : "printerDown")
            secondary: root.s(kiosk.printerState === "paper_out" ? "paper_out" : "printerDown")
        }
    }

    // ---------------------------------------------------------------- screens

    Loader {
        id: page
        objectName: "page"
        anchors { left: parent.left; right: parent.right; top: notices.bottom; bottom: navBar.top
                  margins: root.u * 0.3 }
        sourceComponent: ({
            "welcome": welcomePage, "agencies": agencyPage, "services": servicePage,
            "priority": priorityPage, "printing": printingPage, "result": resultPage,
            "error": errorPage, "refused": refusedPage
        })[kiosk.screen]
    }

    Row {
        id: navBar
        objectName: "navBar"
        readonly property bool shown: kiosk.navigable
        anchors { horizontalCenter: parent.horizontalCenter; bottom: parent.bottom
                  bottomMargin: shown ? root.u * 0.4 : 0 }
        height: shown ? root.u * 1.3 : 0
        visible: shown
        spacing: root.u * 0.4
        KButton {
            objectName: "backButton"
            width: root.u * 4.4; height: parent.height
            fill: root.panel
            label: "‹ " + root.p("back")
            sub: root.s("back")
            onClicked: kiosk.back()
        }
        KButton {
            objectName: "homeButton"
            width: root.u * 4.4; height: parent.height
            fill: root.panel
            label: root.p("home")
            sub: root.s("home")
            onClicked: kiosk.home()
        }
    }

    Component {
        id: welcomePage
        Item {
            Column {
                anchors.centerIn: parent
                width: Math.min(parent.width, root.u * (root.landscape ? 16 : 11))
                spacing: root.u * (root.landscape ? 0.35 : 0.6)
                Title {
                    width: parent.width
                    primary: root.p("welcome")
                    secondary: root.s("welcome")
                }
                Text {
                    objectName: "welcomeMall"
                    width: parent.width
                    horizontalAlignment: Text.AlignHCenter
                    wrapMode: Text.WordWrap
                    text: kiosk.mallName
                    color: root.accent
                    font { pixelSize: root.u * 0.75; bold: true }
                }
                Item { width: 1; height: root.landscape ? 0 : root.u * 0.4 }
                KButton {
                    objectName: "startButton"
                    width: root.landscape ? root.u * 11 : parent.width
                    anchors.horizontalCenter: parent.horizontalCenter
                    height: root.u * (root.landscape ? 2.2 : 3)
                    size: root.u * 0.85
                    enabled: kiosk.hasConfig
                    label: kiosk.hasConfig ? root.p("take") : root.p("loading")
                    sub: kiosk.hasConfig ? root.s("take") : root.s("loading")
                    onClicked: kiosk.start()
                }
                Text {
                    width: parent.width
                    horizontalAlignment: Text.AlignHCenter
                    wrapMode: Text.WordWrap
                    text: root.p("touch") + "\n" + root.s("touch")
                    color: root.muted
                    font.pixelSize: root.u * 0.38
                }
                Rectangle {
                    visible: kiosk.hasScanner && kiosk.scannerOk && kiosk.hasConfig
                    width: parent.width
                    height: scanCol.implicitHeight + root.u * 0.4
                    radius: root.u * 0.15
                    color: root.panel
                    border { color: root.accent; width: 2 }
                    Column {
                        id: scanCol
                        anchors.centerIn: parent
                        width: parent.width - root.u * 0.6
                        Text {
                            objectName: "scanHint"
                            width: parent.width
                            horizontalAlignment: Text.AlignHCenter
                            wrapMode: Text.WordWrap
                            text: "▣  " + root.p("scanHint")
                            color: root.ink
                            font { pixelSize: root.u * 0.42; bold: true }
                        }
                        Text {
                            objectName: "scanHintAlt"
                            width: parent.width
                            horizontalAlignment: Text.AlignHCenter
                            wrapMode: Text.WordWrap
                            text: root.s("scanHint")
                            color: root.muted
                            font.pixelSize: root.u * 0.34
                        }
                    }
                }
            }
        }
    }

    Component {
        id: agencyPage
        Item {
            Title {
                id: agencyTitle
                anchors { left: parent.left; right: parent.right; top: parent.top }
                primary: root.p("chooseAgency")
                secondary: root.s("chooseAgency")
            }
            Flickable {
                id: agencyFlick
                anchors { left: parent.left; right: parent.right; top: agencyTitle.bottom
                          bottom: parent.bottom; topMargin: root.u * 0.4 }
                contentHeight: grid.height
                clip: true
                boundsBehavior: Flickable.StopAtBounds
                Grid {
                    id: grid
                    width: parent.width
                    columns: root.landscape ? 4 : 2
                    spacing: root.u * 0.3
                    readonly property int rows: Math.max(1, Math.ceil(kiosk.agencies.count / columns))
                    readonly property real fit: (agencyFlick.height - spacing * (rows - 1)) / rows
                    Repeater {
                        model: kiosk.agencies
                        Rectangle {
                            objectName: "agency-" + model.id
                            width: (grid.width - grid.spacing * (grid.columns - 1)) / grid.columns
                            height: Math.max(root.u * 1.6, Math.min(root.u * 2.8, grid.fit))
                            radius: root.u * 0.18
                            color: mouse.pressed ? Qt.darker(root.action, 1.3) : root.action
                            border { color: root.ink; width: 2 }
                            Rectangle {
                                id: icon
                                anchors { left: parent.left; verticalCenter: parent.verticalCenter
                                          leftMargin: root.u * 0.3 }
                                width: root.u * 1.1; height: width; radius: width / 2
                                color: root.ink
                                Text {
                                    anchors.centerIn: parent
                                    text: root.initials(model.nameId)
                                    color: root.action
                                    font { pixelSize: root.u * 0.5; bold: true }
                                }
                            }
                            Text {
                                anchors { left: icon.right; right: parent.right; verticalCenter: parent.verticalCenter
                                          leftMargin: root.u * 0.25; rightMargin: root.u * 0.2 }
                                height: parent.height - root.u * 0.2
                                text: root.nm(model)
                                wrapMode: Text.WordWrap
                                verticalAlignment: Text.AlignVCenter
                                fontSizeMode: Text.Fit
                                minimumPixelSize: root.u * 0.26
                                elide: Text.ElideRight
                                color: root.ink
                                font { pixelSize: root.u * 0.38; bold: true }
                            }
                            MouseArea { id: mouse; anchors.fill: parent; onClicked: kiosk.chooseAgency(model.id) }
                        }
                    }
                }
            }
        }
    }

    Component {
        id: servicePage
        Item {
            Title {
                id: serviceTitle
                anchors { left: parent.left; right: parent.right; top: parent.top }
                primary: root.p("chooseService")
                secondary: root.nm({"nameId": kiosk.agencyName.id, "nameEn": kiosk.agencyName.en})
            }
            Flickable {
                anchors { left: parent.left; right: parent.right; top: serviceTitle.bottom
                          bottom: parent.bottom; topMargin: root.u * 0.4 }
                contentHeight: list.height
                clip: true
                boundsBehavior: Flickable.StopAtBounds
                Grid {
                    id: list
                    width: parent.width
                    columns: root.landscape ? 2 : 1
                    spacing: root.u * 0.25
                    Repeater {
                        model: kiosk.services
                        Rectangle {
                            id: row
                            objectName: "service-" + model.id
                            readonly property bool open: model.open
                            width: (list.width - list.spacing * (list.columns - 1)) / list.columns
                            height: Math.max(root.u * 1.9, info.implicitHeight + root.u * 0.4)
                            radius: root.u * 0.18
                            color: !open ? root.off : (mouse.pressed ? Qt.darker(root.action, 1.3) : root.action)
                            border { color: open ? root.ink : "transparent"; width: 2 }
                            Column {
                                id: info
                                anchors { left: parent.left; right: parent.right; verticalCenter: parent.verticalCenter
                                          leftMargin: root.u * 0.35; rightMargin: root.u * 0.35 }
                                spacing: root.u * 0.08
                                Text {
                                    width: parent.width
                                    text: root.nm(model)
                                    wrapMode: Text.WordWrap
                                    color: row.open ? root.ink : root.offInk
                                    font { pixelSize: root.u * 0.45; bold: true }
                                }
                                Text {
                                    objectName: "serviceStatus-" + model.id
                                    width: parent.width
                                    wrapMode: Text.WordWrap
                                    text: row.open
                                          ? root.p("waiting").arg(model.waiting) + "  ·  " + root.waitText(model.waitMin, false)
                                          : root.closedText(model)
                                    color: row.open ? root.accent : root.offInk
                                    font { pixelSize: root.u * 0.36; bold: !row.open }
                                }
                            }
                            MouseArea {
                                id: mouse
                                anchors.fill: parent
                                enabled: row.open
                                onClicked: kiosk.chooseService(model.id)
                            }
                        }
                    }
                }
            }
        }
    }

    Component {
        id: priorityPage
        Item {
            Column {
                anchors { horizontalCenter: parent.horizontalCenter; verticalCenter: parent.verticalCenter }
                width: root.landscape ? parent.width : Math.min(parent.width, root.u * 12)
                spacing: root.u * (root.landscape ? 0.2 : 0.3)
                Text {
                    objectName: "chosenService"
                    width: parent.width
                    horizontalAlignment: Text.AlignHCenter
                    wrapMode: Text.WordWrap
                    text: root.nm({"nameId": kiosk.serviceName.id, "nameEn": kiosk.serviceName.en})
                    color: root.accent
                    font { pixelSize: root.u * 0.45; bold: true }
                }
                Title {
                    width: parent.width
                    primary: root.p("priorityQ")
                    secondary: root.s("priorityQ")
                }
                Item { width: 1; height: root.u * 0.1 }
                KButton {
                    objectName: "priority-none"
                    width: parent.width
                    label: root.p("none")
                    sub: root.s("none")
                    onClicked: kiosk.choosePriority("none")
                }
                Grid {
                    id: prio
                    width: parent.width
                    columns: root.landscape ? 2 : 1
                    spacing: root.u * 0.25
                    Repeater {
                        model: kiosk.priorityKinds  // from the op catalogue
                        KButton {
                            objectName: "priority-" + modelData
                            width: (prio.width - prio.spacing * (prio.columns - 1)) / prio.columns
                            fill: "#5a2d91"
                            label: root.p(modelData)
                            sub: root.s(modelData)
                            onClicked: kiosk.choosePriority(modelData)
                        }
                    }
                }
                Text {
                    width: parent.width
                    horizontalAlignment: Text.AlignHCenter
                    wrapMode: Text.WordWrap
                    text: root.p("priorityHint")
                    color: root.muted
                    font.pixelSize: root.u * 0.32
                }
            }
        }
    }

    Component {
        id: printingPage
        Item {
            Column {
                anchors.centerIn: parent
                width: parent.width
                spacing: root.u * 0.6
                Rectangle {
                    anchors.horizontalCenter: parent.horizontalCenter
                    width: root.u * 1.6; height: width; radius: width / 2
                    color: "transparent"
                    border { color: root.accent; width: root.u * 0.18 }
                    Rectangle {
                        width: root.u * 0.4; height: width; radius: width / 2
                        color: root.bg
                        x: parent.width / 2 - width / 2
                        y: -height / 4
                    }
                    RotationAnimation on rotation { from: 0; to: 360; duration: 1200; loops: Animation.Infinite }
                }
                Title {
                    objectName: "printingText"
                    width: parent.width
                    primary: root.p("printing")
                    secondary: root.s("printing")
                }
            }
        }
    }

    Component {
        id: resultPage
        Item {
            id: result
            readonly property bool printed: kiosk.printError === ""
            Column {
                anchors.centerIn: parent
                width: root.landscape ? parent.width : Math.min(parent.width, root.u * 13)
                spacing: root.u * 0.25
                Notice {
                    objectName: "printProblem"
                    visible: !result.printed
                    primary: root.p("printProblem")
                    secondary: root.s("printProblem")
                }
                Title {
                    width: parent.width
                    primary: root.p("yourNumber")
                    secondary: root.s("yourNumber")
                }
                Grid {
                    id: resultGrid
                    anchors.horizontalCenter: parent.horizontalCenter
                    columns: root.landscape ? 2 : 1
                    columnSpacing: root.u * 0.5
                    rowSpacing: root.u * 0.25
                    readonly property real cell: root.landscape ? (parent.width - columnSpacing) / 2 : parent.width
                    Item {
                        width: resultGrid.cell
                        height: numberRow.height
                        Row {
                            id: numberRow
                            anchors.horizontalCenter: parent.horizontalCenter
                            spacing: root.u * 0.5
                            Text {
                                objectName: "ticketNumber"
                                anchors.verticalCenter: parent.verticalCenter
                                text: kiosk.ticket.number || ""
                                color: root.accent
                                font { pixelSize: root.u * (result.printed ? 2.6 : 2.0); bold: true; family: "DejaVu Sans" }
                            }
                            Rectangle {
                                visible: !result.printed && (kiosk.ticket.qr || "") !== ""
                                anchors.verticalCenter: parent.verticalCenter
                                width: root.u * (root.landscape ? 3.2 : 3.6); height: width
                                color: "#ffffff"
                                Image {
                                    objectName: "ticketQr"
                                    anchors.fill: parent
                                    anchors.margins: root.u * 0.1
                                    source: kiosk.ticket.qr || ""
                                    smooth: false
                                    fillMode: Image.PreserveAspectFit
                                }
                            }
                        }
                    }
                    Column {
                        width: resultGrid.cell
                        spacing: root.u * 0.2
                        Text {
                            objectName: "ticketService"
                            width: parent.width
                            horizontalAlignment: Text.AlignHCenter
                            wrapMode: Text.WordWrap
                            text: root.nm({"nameId": kiosk.serviceName.id, "nameEn": kiosk.serviceName.en})
                            color: root.ink
                            font { pixelSize: root.u * 0.42; bold: true }
                        }
                        Text {
                            objectName: "ticketSlot"
                            visible: (kiosk.ticket.slot || "") !== ""
                            width: parent.width
                            horizontalAlignment: Text.AlignHCenter
                            wrapMode: Text.WordWrap
                            text: root.p("appointmentAt").arg(kiosk.ticket.slot || "") + "  ·  "
                                  + root.s("appointmentAt").arg(kiosk.ticket.slot || "")
                            color: root.accent
                            font { pixelSize: root.u * 0.38; bold: true }
                        }
                        Rectangle {
                            width: parent.width
                            height: facts.implicitHeight + root.u * 0.4
                            radius: root.u * 0.15
                            color: root.panel
                            Column {
                                id: facts
                                anchors.centerIn: parent
                                width: parent.width - root.u * 0.6
                                spacing: root.u * 0.12
                                Repeater {
                                    model: [
                                        ["ticketCounters", "counters", kiosk.ticket.counters || "-"],
                                        ["ticketAhead", "ahead", String(kiosk.ticket.ahead === undefined ? "" : kiosk.ticket.ahead)],
                                        ["ticketWait", "estWait", root.waitText(kiosk.ticket.waitMin || 0, false)]
                                    ]
                                    Item {
                                        width: facts.width
                                        height: Math.max(label.implicitHeight, value.implicitHeight)
                                        Text {
                                            id: label
                                            anchors { left: parent.left; right: value.left; rightMargin: root.u * 0.2 }
                                            wrapMode: Text.WordWrap
                                            text: root.p(modelData[1]) + "\n" + root.s(modelData[1])
                                            color: root.muted
                                            font.pixelSize: root.u * 0.34
                                        }
                                        Text {
                                            id: value
                                            objectName: modelData[0]
                                            anchors { right: parent.right; verticalCenter: parent.verticalCenter }
                                            width: Math.min(implicitWidth, facts.width * 0.55)
                                            horizontalAlignment: Text.AlignRight
                                            wrapMode: Text.WordWrap
                                            text: modelData[2]
                                            color: root.ink
                                            font { pixelSize: root.u * 0.52; bold: true }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
                Text {
                    objectName: "takeTicket"
                    visible: result.printed
                    width: parent.width
                    horizontalAlignment: Text.AlignHCenter
                    wrapMode: Text.WordWrap
                    text: root.p("takeTicket") + "\n" + root.s("takeTicket")
                    color: root.accent
                    font { pixelSize: root.u * 0.42; bold: true }
                }
                KButton {
                    objectName: "doneButton"
                    anchors.horizontalCenter: parent.horizontalCenter
                    width: root.u * 5
                    label: root.p("done")
                    sub: root.s("done")
                    onClicked: kiosk.home()
                }
            }
        }
    }

    Component {
        id: errorPage
        Item {
            readonly property string key: ["service_closed", "quota_full", "timeout"].indexOf(kiosk.error) >= 0
                                          ? kiosk.error : "otherError"
            Column {
                anchors.centerIn: parent
                width: Math.min(parent.width, root.u * 12)
                spacing: root.u * 0.5
                Rectangle {
                    anchors.horizontalCenter: parent.horizontalCenter
                    width: root.u * 1.6; height: width; radius: width / 2
                    color: root.danger
                    Text { anchors.centerIn: parent; text: "!"; color: root.ink; font { pixelSize: root.u * 1.1; bold: true } }
                }
                Text {
                    objectName: "errorText"
                    width: parent.width
                    horizontalAlignment: Text.AlignHCenter
                    wrapMode: Text.WordWrap
                    text: root.p(parent.parent.key)
                    color: root.ink
                    font { pixelSize: root.u * 0.65; bold: true }
                }
                Text {
                    objectName: "errorTextAlt"
                    width: parent.width
                    horizontalAlignment: Text.AlignHCenter
                    wrapMode: Text.WordWrap
                    text: root.s(parent.parent.key)
                    color: root.muted
                    font.pixelSize: root.u * 0.45
                }
                Text {
                    width: parent.width
                    horizontalAlignment: Text.AlignHCenter
                    wrapMode: Text.WordWrap
                    text: root.p("errorHint")
                    color: root.muted
                    font.pixelSize: root.u * 0.36
                }
            }
        }
    }

    Component {
        id: refusedPage
        Item {
            readonly property string key: root.refusals.indexOf(kiosk.error) >= 0 ? kiosk.error : "otherError"
            Column {
                anchors.centerIn: parent
                width: Math.min(parent.width, root.u * 12)
                spacing: root.u * 0.5
                Rectangle {
                    anchors.horizontalCenter: parent.horizontalCenter
                    width: root.u * 1.6; height: width; radius: width / 2
                    color: "#8a5a00"
                    Text { anchors.centerIn: parent; text: "?"; color: root.ink; font { pixelSize: root.u * 1.1; bold: true } }
                }
                Text {
                    objectName: "refusedText"
                    width: parent.width
                    horizontalAlignment: Text.AlignHCenter
                    wrapMode: Text.WordWrap
                    text: root.p(parent.parent.key)
                    color: root.ink
                    font { pixelSize: root.u * 0.65; bold: true }
                }
                Text {
                    objectName: "refusedTextAlt"
                    width: parent.width
                    horizontalAlignment: Text.AlignHCenter
                    wrapMode: Text.WordWrap
                    text: root.s(parent.parent.key)
                    color: root.muted
                    font.pixelSize: root.u * 0.45
                }
                Text {
                    width: parent.width
                    horizontalAlignment: Text.AlignHCenter
                    wrapMode: Text.WordWrap
                    text: root.p("refusedHint") + "\n" + root.s("refusedHint")
                    color: root.muted
                    font.pixelSize: root.u * 0.36
                }
                KButton {
                    objectName: "refusedDone"
                    anchors.horizontalCenter: parent.horizontalCenter
                    width: root.u * 5
                    label: root.p("done")
                    sub: root.s("done")
                    onClicked: kiosk.home()
                }
            }
        }
    }
}
