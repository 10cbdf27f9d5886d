// The citizen kiosk: welcome -> agency -> service -> priority -> printing -> result.
// A scanned appointment QR: -> printing -> result, or "refused" (a message that goes back
// to welcome by itself).
// Full screen, large type, high contrast, touch targets >= 1 unit (90 px at 1080 wide).
// Large mode (kiosk.large, one touch from welcome): units 1.3 times bigger, a black
// high-contrast palette, lists in pages. Every text meets WCAG AA (4.5:1) in both modes
// (tests/kiosk/test_kiosk_contrast.py measures the screenshots).
// Context properties: bridge (StateBridge), kiosk (KioskModel), i18n (Translations).
// This window holds the palette, the sizes and the texts; each screen is a file of its
// own (<Name>Page.qml), given the window as `ui`. Texts: English sources in `words`
// (QT_TR_NOOP, translated in this file's context); p() gives the chosen language, s() the
// other one for the smaller second line.
import QtQuick

Window {
    id: root
    width: 1080
    height: 1920
    visible: true
    color: root.bg
    title: "MPP Kiosk"

    readonly property bool large: kiosk.large
    readonly property real zoom: large ? (landscape ? 1.15 : 1.3) : 1  // landscape is short
    readonly property real u: Math.min(width, height) / 12 * zoom  // 90 px on a 1080 px side
    readonly property bool landscape: width > height
    readonly property color bg: large ? "#000000" : "#0a1a33"
    readonly property color panel: large ? "#1f1f1f" : "#13294d"
    readonly property color ink: "#ffffff"
    readonly property color muted: large ? "#ffffff" : "#c9d3e3"
    readonly property color accent: large ? "#ffff00" : "#ffd400"
    readonly property color action: large ? "#00246b" : "#0a4a9c"
    readonly property color edge: large ? accent : ink  // a button's border
    readonly property real edgeWidth: large ? 4 : 2
    readonly property color off: large ? "#333333" : "#3b4455"
    readonly property color offInk: large ? "#e0e0e0" : "#c4c8cf"
    readonly property color danger: "#c62828"
    readonly property color warn: "#8a5a00"
    readonly property color priority: "#5a2d91"

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
        "copy": QT_TR_NOOP("Print a copy"),
        "copyPrinting": QT_TR_NOOP("Printing the copy…"),
        "copyFailed": QT_TR_NOOP("The printer still does not print: please photograph this number or ask an officer"),
        "takeCopy": QT_TR_NOOP("A copy was printed: please take it below"),
        "outOfPaper": QT_TR_NOOP("This kiosk is out of paper"),
        "cannotPrint": QT_TR_NOOP("This kiosk cannot print right now"),
        "goTo": QT_TR_NOOP("Please take your number at"),
        "printer_out": QT_TR_NOOP("This kiosk cannot print right now: please use another kiosk"),
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
        "personal_data": QT_TR_NOOP("This looks like an ID number (NIK), not an appointment code"),
        "refusedHint": QT_TR_NOOP("Please ask the information desk, or take a regular number."),
        // accessible descriptions (Qt Accessibility: screen readers and tests)
        "startHint": QT_TR_NOOP("Choose a service, then your number is printed"),
        "agencyHint": QT_TR_NOOP("Shows this agency's services"),
        "backHint": QT_TR_NOOP("Back to the previous screen"),
        "homeHint": QT_TR_NOOP("Back to the welcome screen; no number is taken"),
        "doneHint": QT_TR_NOOP("Back to the welcome screen"),
        "langHint": QT_TR_NOOP("Change the language of the screen"),
        // large, high-contrast mode
        "largeText": QT_TR_NOOP("Large text"),
        "normalText": QT_TR_NOOP("Normal text"),
        "largeHint": QT_TR_NOOP("Bigger text and buttons, high contrast, more time"),
        "prevPage": QT_TR_NOOP("Previous"),
        "nextPage": QT_TR_NOOP("More"),
        "prevPageHint": QT_TR_NOOP("The previous choices"),
        "nextPageHint": QT_TR_NOOP("More choices"),
        "pageOf": QT_TR_NOOP("Page %1 of %2")
    })

    // Both read i18n.language so that a language switch re-evaluates them.
    function p(key) { return i18n.language ? qsTr(words[key]) : "" }
    function s(key) { return i18n.language ? i18n.alt("KioskScreen", words[key]) : "" }
    function nm(o) { return !o ? "" : (i18n.language === "en" ? o.nameEn : o.nameId) }
    function waitText(min, lang2) {
        if (min <= 0) return lang2 ? s("waitSoon") : p("waitSoon")
        return (lang2 ? s("waitMin") : p("waitMin")).arg(min)
    }

    Header {
        id: header
        ui: root
        anchors { left: parent.left; right: parent.right; top: parent.top }
    }

    Column {
        id: notices
        anchors { left: parent.left; right: parent.right; top: header.bottom
                  leftMargin: root.u * 0.3; rightMargin: root.u * 0.3; topMargin: root.u * 0.2 }
        spacing: root.u * 0.15
        Notice {
            ui: root
            objectName: "offlineBanner"
            visible: bridge.status === "server_offline" || bridge.status === "broker_unreachable"
            primary: root.p("offline")
            secondary: root.s("offline")
        }
        Notice {
            ui: root
            objectName: "printerWarning"
            visible: !kiosk.printerOk && kiosk.screen !== "result"
                     && !(kiosk.screen === "welcome" && kiosk.elsewhere !== "")  // it says more
            fill: root.warn
            primary: root.p(kiosk.printerState === "paper_out" ? "paper_out" : "printerDown")
            secondary: root.s(kiosk.printerState === "paper_out" ? "paper_out" : "printerDown")
        }
    }

    Loader {
        id: page
        objectName: "page"
        anchors { left: parent.left; right: parent.right; top: notices.bottom; bottom: navBar.top
                  margins: root.u * 0.3 }
        sourceComponent: ({
            "welcome": welcomePage, "agencies": agenciesPage, "services": servicesPage,
            "priority": priorityPage, "printing": printingPage, "result": resultPage,
            "error": errorPage, "refused": refusedPage
        })[kiosk.screen]
    }
    Component { id: welcomePage; WelcomePage { ui: root } }
    Component { id: agenciesPage; AgenciesPage { ui: root } }
    Component { id: servicesPage; ServicesPage { ui: root } }
    Component { id: priorityPage; PriorityPage { ui: root } }
    Component { id: printingPage; PrintingPage { ui: root } }
    Component { id: resultPage; ResultPage { ui: root } }
    Component { id: errorPage; ErrorPage { ui: root } }
    Component { id: refusedPage; RefusedPage { ui: root } }

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
            ui: root
            objectName: "backButton"
            width: root.u * 4.4; height: parent.height
            fill: root.panel
            label: "‹ " + root.p("back")
            spoken: root.p("back")
            hint: root.p("backHint")
            sub: root.s("back")
            onClicked: kiosk.back()
        }
        KButton {
            ui: root
            objectName: "homeButton"
            width: root.u * 4.4; height: parent.height
            fill: root.panel
            label: root.p("home")
            hint: root.p("homeHint")
            sub: root.s("home")
            onClicked: kiosk.home()
        }
    }
}
