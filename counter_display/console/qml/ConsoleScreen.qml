// The counter staff console: sign-in, counter choice, then the counter's work screen.
// Context properties: bridge (StateBridge), desk (ConsoleModel), i18n (Translations).
// Source strings are English; Bahasa Indonesia comes from counter_display/i18n/console_id.ts.
import QtQuick

Window {
    id: root
    width: 1280
    height: 720
    visible: true
    color: "#14171c"
    title: "MPP " + (desk.counterName || "Console")

    readonly property real u: Math.min(width / 16, height / 9)
    readonly property color ink: "#f2f4f7"
    readonly property color muted: "#9aa3ad"
    readonly property color panel: "#1f242b"
    readonly property color accent: "#ffd400"
    readonly property color danger: "#d64541"
    property bool dialogOpen: transferDialog.visible || pauseDialog.visible || returnDialog.visible

    readonly property var words: ({
        "title": QT_TR_NOOP("Counter sign-in"),
        "officer": QT_TR_NOOP("Officer code"),
        "pin": QT_TR_NOOP("PIN"),
        "signin": QT_TR_NOOP("Sign in"),
        "chooseCounter": QT_TR_NOOP("Choose your counter"),
        "signout": QT_TR_NOOP("Sign out"),
        "clear": QT_TR_NOOP("Clear"),
        "next": QT_TR_NOOP("Call next"),
        "recall": QT_TR_NOOP("Recall"),
        "start": QT_TR_NOOP("Start service"),
        "complete": QT_TR_NOOP("Complete"),
        "noShow": QT_TR_NOOP("No-show"),
        "transfer": QT_TR_NOOP("Transfer"),
        "pause": QT_TR_NOOP("Pause"),
        "resume": QT_TR_NOOP("Resume"),
        "open": QT_TR_NOOP("Open counter"),
        "close": QT_TR_NOOP("Close counter"),
        "cancel": QT_TR_NOOP("Cancel"),
        "front": QT_TR_NOOP("To the front of the queue"),
        "transferTo": QT_TR_NOOP("Transfer %1 to which service?"),
        "pauseWhy": QT_TR_NOOP("Why are you pausing?"),
        "break": QT_TR_NOOP("Break"),
        "prayer": QT_TR_NOOP("Prayer break"),
        "system": QT_TR_NOOP("System problem"),
        "other": QT_TR_NOOP("Other"),
        "current": QT_TR_NOOP("Current ticket"),
        "noTicket": QT_TR_NOOP("No ticket at the counter"),
        "called": QT_TR_NOOP("Called, waiting for the citizen"),
        "serving": QT_TR_NOOP("Being served"),
        "statusOpen": QT_TR_NOOP("Counter open"),
        "statusPaused": QT_TR_NOOP("Counter paused: %1"),
        "statusClosed": QT_TR_NOOP("Counter closed"),
        "statusUnknown": QT_TR_NOOP("Loading…"),
        "waiting": QT_TR_NOOP("Waiting"),
        "people": QT_TR_NOOP("%1 waiting"),
        "today": QT_TR_NOOP("My figures today"),
        "statCalled": QT_TR_NOOP("Called"),
        "statServed": QT_TR_NOOP("Served"),
        "statNoShow": QT_TR_NOOP("No-show"),
        "statTransferred": QT_TR_NOOP("Transferred"),
        "statAvg": QT_TR_NOOP("Average service"),
        "connected": QT_TR_NOOP("Connected"),
        "connecting": QT_TR_NOOP("Connecting…"),
        "server_offline": QT_TR_NOOP("Server offline"),
        "broker_unreachable": QT_TR_NOOP("No network"),
        "nobody_waiting": QT_TR_NOOP("Nobody is waiting"),
        "bad_credentials": QT_TR_NOOP("Wrong officer code or PIN"),
        "locked_out": QT_TR_NOOP("Too many wrong PINs: try again in %1 seconds"),
        "timeout": QT_TR_NOOP("Server unreachable: check the network and try again"),
        "not_signed_in": QT_TR_NOOP("Please sign in again"),
        "forbidden": QT_TR_NOOP("This counter is not assigned to this device"),
        "ticket_active": QT_TR_NOOP("Finish the current ticket first"),
        "counter_paused": QT_TR_NOOP("The counter is paused: resume it first"),
        "counter_closed": QT_TR_NOOP("The counter is closed: open it first"),
        "no_current_ticket": QT_TR_NOOP("There is no ticket at this counter"),
        "invalid_transition": QT_TR_NOOP("Not possible for this ticket now"),
        "unknown_service": QT_TR_NOOP("Unknown service"),
        "unknown_counter": QT_TR_NOOP("Unknown counter"),
        "service_closed": QT_TR_NOOP("That service is closed"),
        "storage_error": QT_TR_NOOP("The server could not save: try again"),
        "refused": QT_TR_NOOP("The server refused the request (%1)"),
        "returnedButton": QT_TR_NOOP("Came back (%1)"),
        "returnWho": QT_TR_NOOP("Which citizen came back?"),
        "returnHint": QT_TR_NOOP("A no-show who comes back in time goes to the front of the queue with the same number"),
        "minutesLeft": QT_TR_NOOP("%1 min left"),
        "returned": QT_TR_NOOP("%1 is back at the front of the queue"),
        "grace_expired": QT_TR_NOOP("Too late to come back (after %1 min): the citizen takes a new number"),
        // what the current ticket asks of the officer (counter_display/marks.py)
        "mark_voice": QT_TR_NOOP("Voice guidance: go to the citizen"),
        "mark_elderly": QT_TR_NOOP("Priority: elderly (60+)"),
        "mark_disabled": QT_TR_NOOP("Priority: person with a disability"),
        "mark_pregnant": QT_TR_NOOP("Priority: pregnant"),
        "mark_child": QT_TR_NOOP("Priority: with a small child"),
        "mark_priority": QT_TR_NOOP("Priority")
    })

    // Reads i18n.language so that a language switch re-evaluates every text.
    function tr(key) { return i18n.language ? qsTr(words[key]) : "" }
    function errorText(code, seconds) {
        if (code === "") return ""
        if (code === "locked_out" || code === "grace_expired") return tr(code).arg(seconds)
        if (code === "internal_error") return tr("storage_error")
        if (words[code] === undefined) return tr("refused").arg(code)
        return tr(code)
    }
    function clock(s) {
        var h = Math.floor(s / 3600), m = Math.floor(s % 3600 / 60), sec = s % 60
        var mm = (h > 0 && m < 10 ? "0" : "") + m
        return (h > 0 ? h + ":" : "") + mm + ":" + (sec < 10 ? "0" : "") + sec
    }
    readonly property string message: desk.notice === "returned" ? tr("returned").arg(desk.noticeArg)
                                      : desk.notice !== "" ? tr(desk.notice)
                                      : errorText(desk.errorCode, desk.errorSeconds)

    // ------------------------------------------------------------------ top bar (all screens)
    Rectangle {
        id: topBar
        anchors { left: parent.left; right: parent.right; top: parent.top }
        height: root.u * 0.9
        color: "#0c0e11"

        Text {
            textFormat: Text.PlainText
            objectName: "counterTitle"
            anchors { left: parent.left; leftMargin: root.u * 0.3; verticalCenter: parent.verticalCenter }
            text: desk.screen === "main" ? desk.counterName + "  ·  " + desk.officerName
                                            : "MPP · " + root.tr("title")
            color: root.ink
            font { pixelSize: root.u * 0.38; bold: true }
        }
        Row {
            anchors { right: parent.right; rightMargin: root.u * 0.3; verticalCenter: parent.verticalCenter }
            spacing: root.u * 0.3

            Row {
                objectName: "connection"
                anchors.verticalCenter: parent.verticalCenter
                spacing: root.u * 0.1
                Rectangle {
                    width: root.u * 0.16; height: width; radius: width / 2
                    anchors.verticalCenter: parent.verticalCenter
                    color: bridge.status === "connected" ? "#3cb371"
                         : bridge.status === "connecting" ? "#c9a227" : root.danger
                }
                Text {
                    textFormat: Text.PlainText
                    objectName: "connectionText"
                    text: root.tr(bridge.status)
                    color: root.muted
                    font.pixelSize: root.u * 0.24
                }
            }
            BigButton {
                objectName: "returnButton"
                visible: desk.screen === "main"
                width: root.u * 2.6; height: root.u * 0.6
                tint: desk.returnable.length > 0 ? "#8a5a1f" : "#39414d"
                textSize: root.u * 0.24
                label: "↩ " + root.tr("returnedButton").arg(desk.returnable.length)
                active: !desk.busy && desk.returnable.length > 0
                onClicked: returnDialog.visible = true
            }
            BigButton {
                objectName: "langButton"
                width: root.u * 1.5; height: root.u * 0.6
                tint: "#39414d"
                textSize: root.u * 0.24
                label: i18n.language === "id" ? "ID · en" : "EN · id"
                onClicked: i18n.set_language(i18n.other)
            }
            BigButton {
                objectName: "signoutButton"
                visible: desk.screen !== "signin"
                width: root.u * 1.7; height: root.u * 0.6
                tint: "#39414d"
                textSize: root.u * 0.24
                label: root.tr("signout")
                onClicked: { desk.signOut(); officerInput.text = ""; pinInput.text = "" }
            }
        }
    }

    // ------------------------------------------------------------------ sign-in
    Item {
        id: signinScreen
        objectName: "signinScreen"
        visible: desk.screen === "signin"
        anchors { left: parent.left; right: parent.right; top: topBar.bottom; bottom: parent.bottom }

        function submit() {
            if (desk.signIn(officerInput.text, pinInput.text)) pinInput.text = ""
        }

        Column {
            id: fields
            anchors { left: parent.left; leftMargin: root.u * 1.2; verticalCenter: parent.verticalCenter }
            width: root.u * 6
            spacing: root.u * 0.2

            Text { textFormat: Text.PlainText; text: root.tr("officer"); color: root.muted; font.pixelSize: root.u * 0.3 }
            Rectangle {
                width: parent.width; height: root.u * 0.9; radius: root.u * 0.1
                color: root.panel
                border { color: officerInput.activeFocus ? root.accent : "#39414d"; width: 2 }
                TextInput {
                    id: officerInput
                    objectName: "officerInput"
                    anchors { fill: parent; leftMargin: root.u * 0.2; rightMargin: root.u * 0.2 }
                    verticalAlignment: TextInput.AlignVCenter
                    color: root.ink
                    font.pixelSize: root.u * 0.42
                    focus: signinScreen.visible
                    inputMethodHints: Qt.ImhNoAutoUppercase | Qt.ImhLowercaseOnly
                    KeyNavigation.tab: pinInput
                    onAccepted: pinInput.forceActiveFocus()
                }
            }
            Text { textFormat: Text.PlainText; text: root.tr("pin"); color: root.muted; font.pixelSize: root.u * 0.3 }
            Rectangle {
                width: parent.width; height: root.u * 0.9; radius: root.u * 0.1
                color: root.panel
                border { color: pinInput.activeFocus ? root.accent : "#39414d"; width: 2 }
                TextInput {
                    id: pinInput
                    objectName: "pinInput"
                    anchors { fill: parent; leftMargin: root.u * 0.2; rightMargin: root.u * 0.2 }
                    verticalAlignment: TextInput.AlignVCenter
                    color: root.ink
                    echoMode: TextInput.Password
                    passwordCharacter: "●"
                    maximumLength: 8
                    validator: RegularExpressionValidator { regularExpression: /[0-9]{0,8}/ }
                    inputMethodHints: Qt.ImhDigitsOnly
                    font { pixelSize: root.u * 0.42; letterSpacing: root.u * 0.1 }
                    onAccepted: signinScreen.submit()
                }
            }
            Item { width: 1; height: root.u * 0.1 }
            BigButton {
                objectName: "signinButton"
                width: parent.width; height: root.u * 1.0
                textSize: root.u * 0.36
                label: root.tr("signin")
                active: !desk.busy
                onClicked: signinScreen.submit()
            }
            Text {
                textFormat: Text.PlainText
                objectName: "signinError"
                width: parent.width
                wrapMode: Text.WordWrap
                text: root.message
                color: "#ff8a80"
                font { pixelSize: root.u * 0.32; bold: true }
            }
        }

        Grid {
            objectName: "pinPad"
            anchors { right: parent.right; rightMargin: root.u * 1.2; verticalCenter: parent.verticalCenter }
            columns: 3
            spacing: root.u * 0.15
            Repeater {
                model: ["1", "2", "3", "4", "5", "6", "7", "8", "9", "clear", "0", "⌫"]
                BigButton {
                    objectName: "pin-" + modelData
                    width: root.u * 1.6; height: root.u * 1.15
                    textSize: modelData.length === 1 ? root.u * 0.5 : root.u * 0.28
                    tint: modelData === "clear" || modelData === "⌫" ? "#39414d" : "#2b3340"
                    label: modelData === "clear" ? root.tr("clear") : modelData
                    onClicked: {
                        if (modelData === "clear") pinInput.text = ""
                        else if (modelData === "⌫") pinInput.text = pinInput.text.slice(0, -1)
                        else if (pinInput.text.length < 8) pinInput.text += modelData
                    }
                }
            }
        }
    }

    // ------------------------------------------------------------------ counter choice
    Column {
        objectName: "chooseScreen"
        visible: desk.screen === "counter"
        anchors.centerIn: parent
        spacing: root.u * 0.25
        Text {
            textFormat: Text.PlainText
            text: root.tr("chooseCounter") + (desk.officerName ? "  ·  " + desk.officerName : "")
            color: root.ink
            font { pixelSize: root.u * 0.45; bold: true }
        }
        Repeater {
            model: desk.counters
            BigButton {
                objectName: "choose-" + modelData.id
                width: root.u * 7; height: root.u * 1.1
                label: modelData.name
                onClicked: desk.chooseCounter(modelData.id)
            }
        }
    }

    // ------------------------------------------------------------------ main
    Item {
        id: mainScreen
        objectName: "mainScreen"
        visible: desk.screen === "main"
        anchors { left: parent.left; right: parent.right; top: topBar.bottom; bottom: parent.bottom
                  margins: root.u * 0.25 }

        readonly property bool hasTicket: desk.ticketNumber !== ""
        readonly property bool isOpen: desk.counterStatus === "open"

        // current ticket
        Rectangle {
            id: ticketPanel
            anchors { left: parent.left; top: parent.top }
            width: parent.width * 0.64; height: root.u * 3.3
            radius: root.u * 0.15
            color: root.panel

            Text {
                textFormat: Text.PlainText
                objectName: "counterStatus"
                anchors { left: parent.left; top: parent.top; margins: root.u * 0.25 }
                text: desk.counterStatus === "paused"
                      ? root.tr("statusPaused").arg(root.tr(desk.pauseReason || "other"))
                      : root.tr(desk.counterStatus === "open" ? "statusOpen"
                                : desk.counterStatus === "closed" ? "statusClosed" : "statusUnknown")
                color: desk.counterStatus === "open" ? "#7fd49b"
                     : desk.counterStatus === "unknown" ? root.muted : root.accent
                font { pixelSize: root.u * 0.3; bold: true }
            }
            Text {
                textFormat: Text.PlainText
                objectName: "elapsedText"
                visible: mainScreen.hasTicket
                anchors { right: parent.right; top: parent.top; margins: root.u * 0.25 }
                text: root.clock(desk.elapsed)
                color: root.muted
                font { pixelSize: root.u * 0.36; family: "DejaVu Sans Mono" }
            }
            Text {
                id: numberText
                textFormat: Text.PlainText
                objectName: "ticketNumber"
                anchors { left: parent.left; leftMargin: root.u * 0.3; top: parent.top; topMargin: root.u * 0.75 }
                text: desk.ticketNumber
                visible: mainScreen.hasTicket
                color: root.accent
                font { pixelSize: root.u * 1.3; bold: true; family: "DejaVu Sans" }
            }
            Column {
                anchors { left: mainScreen.hasTicket ? numberText.right : parent.left
                          leftMargin: mainScreen.hasTicket ? root.u * 0.4 : root.u * 0.3
                          right: parent.right; rightMargin: root.u * 0.3
                          verticalCenter: mainScreen.hasTicket ? numberText.verticalCenter : parent.verticalCenter }
                spacing: root.u * 0.1
                Text {
                    textFormat: Text.PlainText
                    objectName: "ticketService"
                    width: parent.width
                    wrapMode: Text.WordWrap
                    maximumLineCount: 2
                    elide: Text.ElideRight
                    text: mainScreen.hasTicket ? desk.ticketService : root.tr("noTicket")
                    color: root.ink
                    font { pixelSize: root.u * 0.36; bold: true }
                }
                Text {
                    textFormat: Text.PlainText
                    objectName: "ticketStatus"
                    visible: mainScreen.hasTicket
                    text: root.tr(desk.ticketStatus === "serving" ? "serving" : "called")
                    color: root.muted
                    font.pixelSize: root.u * 0.3
                }
                Text {
                    textFormat: Text.PlainText
                    objectName: "ticketMarks"
                    visible: mainScreen.hasTicket && desk.ticketMarks.length > 0
                    width: parent.width
                    wrapMode: Text.WordWrap
                    text: desk.ticketMarks.map(function (m) { return root.tr("mark_" + m) })
                                          .join("  ·  ")
                    color: root.accent
                    font { pixelSize: root.u * 0.32; bold: true }
                }
            }
            Rectangle {
                objectName: "messageBanner"
                visible: root.message !== "" && desk.screen === "main"
                anchors { left: parent.left; right: parent.right; bottom: parent.bottom; margins: root.u * 0.15 }
                height: root.u * 0.6
                radius: root.u * 0.08
                color: desk.notice !== "" ? "#2f4a6b" : root.danger
                Text {
                    textFormat: Text.PlainText
                    objectName: "errorText"
                    anchors { fill: parent; leftMargin: root.u * 0.2; rightMargin: root.u * 0.2 }
                    verticalAlignment: Text.AlignVCenter
                    elide: Text.ElideRight
                    text: root.message
                    color: "#ffffff"
                    font { pixelSize: root.u * 0.3; bold: true }
                }
                MouseArea { anchors.fill: parent; onClicked: desk.dismissError() }
            }
        }

        // action buttons
        Grid {
            id: actions
            anchors { left: parent.left; top: ticketPanel.bottom; topMargin: root.u * 0.25 }
            width: ticketPanel.width
            columns: 3
            spacing: root.u * 0.18
            readonly property real cellW: (width - spacing * 2) / 3
            readonly property real cellH: root.u * 1.08

            BigButton {
                objectName: "btnNext"; width: actions.cellW; height: actions.cellH
                label: root.tr("next"); shortcut: "F1"; tint: "#1f8a4c"
                active: !desk.busy && mainScreen.isOpen
                onClicked: desk.press("NEXT")
            }
            BigButton {
                objectName: "btnRecall"; width: actions.cellW; height: actions.cellH
                label: root.tr("recall"); shortcut: "F2"
                active: !desk.busy && mainScreen.hasTicket
                onClicked: desk.press("RECALL")
            }
            BigButton {
                objectName: "btnStart"; width: actions.cellW; height: actions.cellH
                label: root.tr("start"); shortcut: "F3"
                active: !desk.busy && desk.ticketStatus === "called"
                onClicked: desk.press("START")
            }
            BigButton {
                objectName: "btnComplete"; width: actions.cellW; height: actions.cellH
                label: root.tr("complete"); shortcut: "F4"
                active: !desk.busy && mainScreen.hasTicket
                onClicked: desk.press("COMPLETE")
            }
            BigButton {
                objectName: "btnNoShow"; width: actions.cellW; height: actions.cellH
                label: root.tr("noShow"); shortcut: "F5"; tint: "#8a5a1f"
                active: !desk.busy && desk.ticketStatus === "called"
                onClicked: desk.press("NO_SHOW")
            }
            BigButton {
                objectName: "btnTransfer"; width: actions.cellW; height: actions.cellH
                label: root.tr("transfer"); shortcut: "F6"
                active: !desk.busy && mainScreen.hasTicket
                onClicked: transferDialog.show()
            }
            BigButton {
                objectName: "btnPause"; width: actions.cellW; height: actions.cellH
                label: root.tr("pause"); shortcut: "F7"; tint: "#5a4a8a"
                active: !desk.busy && mainScreen.isOpen
                onClicked: pauseDialog.visible = true
            }
            BigButton {
                objectName: "btnResume"; width: actions.cellW; height: actions.cellH
                label: root.tr(desk.counterStatus === "paused" ? "resume" : "open"); shortcut: "F8"
                tint: "#1f8a4c"
                active: !desk.busy && !mainScreen.isOpen
                onClicked: desk.resume()
            }
            BigButton {
                objectName: "btnClose"; width: actions.cellW; height: actions.cellH
                label: root.tr("close"); shortcut: "F9"; tint: "#6b2f2f"
                active: !desk.busy && desk.counterStatus !== "closed"
                onClicked: desk.closeCounter()
            }
        }

        // queues and figures
        Column {
            anchors { left: ticketPanel.right; leftMargin: root.u * 0.25; right: parent.right; top: parent.top }
            spacing: root.u * 0.25

            Rectangle {
                width: parent.width; height: queueColumn.height + root.u * 0.4
                radius: root.u * 0.15
                color: root.panel
                Column {
                    id: queueColumn
                    objectName: "queues"
                    anchors { left: parent.left; right: parent.right; top: parent.top; margins: root.u * 0.2 }
                    spacing: root.u * 0.1
                    Text { textFormat: Text.PlainText; text: root.tr("waiting"); color: root.muted; font.pixelSize: root.u * 0.28 }
                    Repeater {
                        model: desk.queues
                        Item {
                            width: queueColumn.width; height: root.u * 0.5
                            Text {
                                textFormat: Text.PlainText
                                anchors { left: parent.left; right: count.left; rightMargin: root.u * 0.1
                                          verticalCenter: parent.verticalCenter }
                                elide: Text.ElideRight
                                text: modelData.name
                                color: modelData.open ? root.ink : root.muted
                                font.pixelSize: root.u * 0.28
                            }
                            Text {
                                id: count
                                textFormat: Text.PlainText
                                objectName: "waiting-" + modelData.id
                                anchors { right: parent.right; verticalCenter: parent.verticalCenter }
                                text: modelData.waiting
                                color: root.accent
                                font { pixelSize: root.u * 0.4; bold: true }
                            }
                        }
                    }
                }
            }

            Rectangle {
                width: parent.width; height: statsColumn.height + root.u * 0.4
                radius: root.u * 0.15
                color: root.panel
                Column {
                    id: statsColumn
                    objectName: "stats"
                    anchors { left: parent.left; right: parent.right; top: parent.top; margins: root.u * 0.2 }
                    spacing: root.u * 0.06
                    Text { textFormat: Text.PlainText; text: root.tr("today"); color: root.muted; font.pixelSize: root.u * 0.28 }
                    Repeater {
                        model: [
                            { key: "statCalled", field: "called" },
                            { key: "statServed", field: "served" },
                            { key: "statNoShow", field: "no_show" },
                            { key: "statTransferred", field: "transferred" },
                            { key: "statAvg", field: "avg_service_s" }
                        ]
                        Item {
                            width: statsColumn.width; height: root.u * 0.42
                            Text {
                                textFormat: Text.PlainText
                                anchors { left: parent.left; verticalCenter: parent.verticalCenter }
                                text: root.tr(modelData.key)
                                color: root.ink
                                font.pixelSize: root.u * 0.27
                            }
                            Text {
                                textFormat: Text.PlainText
                                objectName: modelData.key
                                anchors { right: parent.right; verticalCenter: parent.verticalCenter }
                                readonly property var value: desk.stats[modelData.field]
                                text: value === undefined ? "–"
                                      : modelData.field === "avg_service_s" ? root.clock(value) : value
                                color: root.ink
                                font { pixelSize: root.u * 0.3; bold: true }
                            }
                        }
                    }
                }
            }
        }
    }

    // ------------------------------------------------------------------ dialogs
    Rectangle {
        id: transferDialog
        objectName: "transferDialog"
        visible: false
        anchors.fill: parent
        color: "#cc000000"
        property bool front: false
        function show() { if (mainScreen.hasTicket) { front = false; visible = true } }
        MouseArea { anchors.fill: parent }  // modal
        Rectangle {
            anchors.centerIn: parent
            width: root.u * 10; height: transferColumn.height + root.u * 0.6
            radius: root.u * 0.2
            color: root.panel
            Column {
                id: transferColumn
                anchors { left: parent.left; right: parent.right; top: parent.top; margins: root.u * 0.3 }
                spacing: root.u * 0.15
                Text {
                    textFormat: Text.PlainText
                    text: root.tr("transferTo").arg(desk.ticketNumber)
                    color: root.ink
                    font { pixelSize: root.u * 0.4; bold: true }
                }
                Flow {
                    width: parent.width
                    spacing: root.u * 0.12
                    Repeater {
                        model: desk.transferTargets
                        BigButton {
                            objectName: "transfer-" + modelData.id
                            width: (transferColumn.width - root.u * 0.12) / 2; height: root.u * 0.8
                            tint: "#2b3340"
                            label: modelData.name
                            onClicked: {
                                transferDialog.visible = false
                                desk.transfer(modelData.id, transferDialog.front)
                            }
                        }
                    }
                }
                Row {
                    spacing: root.u * 0.2
                    BigButton {
                        objectName: "frontToggle"
                        width: root.u * 6; height: root.u * 0.8
                        tint: transferDialog.front ? "#1f8a4c" : "#39414d"
                        label: (transferDialog.front ? "☑ " : "☐ ") + root.tr("front")
                        onClicked: transferDialog.front = !transferDialog.front
                    }
                    BigButton {
                        width: root.u * 3.1; height: root.u * 0.8
                        tint: "#6b2f2f"
                        label: root.tr("cancel"); shortcut: "Esc"
                        onClicked: transferDialog.visible = false
                    }
                }
            }
        }
    }

    Rectangle {
        id: pauseDialog
        objectName: "pauseDialog"
        visible: false
        anchors.fill: parent
        color: "#cc000000"
        MouseArea { anchors.fill: parent }
        Rectangle {
            anchors.centerIn: parent
            width: root.u * 8; height: pauseColumn.height + root.u * 0.6
            radius: root.u * 0.2
            color: root.panel
            Column {
                id: pauseColumn
                anchors { left: parent.left; right: parent.right; top: parent.top; margins: root.u * 0.3 }
                spacing: root.u * 0.15
                Text {
                    textFormat: Text.PlainText
                    text: root.tr("pauseWhy")
                    color: root.ink
                    font { pixelSize: root.u * 0.4; bold: true }
                }
                Repeater {
                    model: desk.pauseReasons  // the officers' reasons, from the op catalogue
                    BigButton {
                        id: reasonButton
                        objectName: "pause-" + modelData
                        width: pauseColumn.width; height: root.u * 0.8
                        tint: "#5a4a8a"
                        label: root.tr(modelData); shortcut: String(index + 1)
                        onClicked: { pauseDialog.visible = false; desk.pause(modelData) }
                        Shortcut {
                            sequence: reasonButton.shortcut; enabled: pauseDialog.visible
                            onActivated: reasonButton.clicked()
                        }
                    }
                }
                BigButton {
                    width: pauseColumn.width; height: root.u * 0.8
                    tint: "#6b2f2f"
                    label: root.tr("cancel"); shortcut: "Esc"
                    onClicked: pauseDialog.visible = false
                }
            }
        }
    }

    Rectangle {
        id: returnDialog
        objectName: "returnDialog"
        visible: false
        anchors.fill: parent
        color: "#cc000000"
        MouseArea { anchors.fill: parent }  // modal
        Rectangle {
            anchors.centerIn: parent
            width: root.u * 9; height: returnColumn.height + root.u * 0.6
            radius: root.u * 0.2
            color: root.panel
            Column {
                id: returnColumn
                anchors { left: parent.left; right: parent.right; top: parent.top; margins: root.u * 0.3 }
                spacing: root.u * 0.15
                Text {
                    textFormat: Text.PlainText
                    text: root.tr("returnWho")
                    color: root.ink
                    font { pixelSize: root.u * 0.4; bold: true }
                }
                Text {
                    textFormat: Text.PlainText
                    width: parent.width
                    wrapMode: Text.WordWrap
                    text: root.tr("returnHint")
                    color: root.muted
                    font.pixelSize: root.u * 0.26
                }
                Repeater {
                    model: desk.returnable.slice(0, 6)  // the newest no-shows
                    BigButton {
                        objectName: "return-" + modelData.number
                        width: returnColumn.width; height: root.u * 0.8
                        tint: "#8a5a1f"
                        label: modelData.number + "  ·  " + modelData.service + "  ·  "
                               + root.tr("minutesLeft").arg(modelData.leftMin)
                        onClicked: { returnDialog.visible = false; desk.returnTicket(modelData.id) }
                    }
                }
                BigButton {
                    width: returnColumn.width; height: root.u * 0.8
                    tint: "#6b2f2f"
                    label: root.tr("cancel"); shortcut: "Esc"
                    onClicked: returnDialog.visible = false
                }
            }
        }
    }

    Connections {
        target: desk
        function onTransferRequested() { transferDialog.show() }
        function onReturnableChanged() { if (desk.returnable.length === 0) returnDialog.visible = false }
    }

    // ------------------------------------------------------------------ shortcuts
    readonly property bool working: desk.screen === "main" && !dialogOpen
    Shortcut { sequence: "F1"; enabled: root.working; onActivated: desk.press("NEXT") }
    Shortcut { sequence: "F2"; enabled: root.working; onActivated: desk.press("RECALL") }
    Shortcut { sequence: "F3"; enabled: root.working; onActivated: desk.press("START") }
    Shortcut { sequence: "F4"; enabled: root.working; onActivated: desk.press("COMPLETE") }
    Shortcut { sequence: "F5"; enabled: root.working; onActivated: desk.press("NO_SHOW") }
    Shortcut { sequence: "F6"; enabled: root.working; onActivated: transferDialog.show() }
    Shortcut { sequence: "F7"; enabled: root.working && mainScreen.isOpen; onActivated: pauseDialog.visible = true }
    Shortcut { sequence: "F8"; enabled: root.working; onActivated: desk.resume() }
    Shortcut { sequence: "F9"; enabled: root.working; onActivated: desk.closeCounter() }
    Shortcut {
        sequence: "Esc"; enabled: root.dialogOpen
        onActivated: { transferDialog.visible = false; pauseDialog.visible = false
                       returnDialog.visible = false }
    }
}
