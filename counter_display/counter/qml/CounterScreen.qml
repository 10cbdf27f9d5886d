// The screen above one counter: its name, the number being served (flashing when just
// called), or why it is not serving. Primary language large, the other smaller under it.
// Context properties: bridge (StateBridge), counter (CounterModel), i18n (Translations).
import QtQuick

Window {
    id: root
    width: 1280
    height: 720
    visible: true
    color: "#000000"
    title: "MPP " + counter.counterName

    readonly property real u: Math.min(width / 16, height / 9)  // one ninth of a 16:9 height
    readonly property color ink: "#ffffff"
    readonly property color accent: "#ffd400"
    readonly property color muted: "#b8b8b8"
    property bool phase: true  // flash phase: true = inverted (yellow panel)

    readonly property var words: ({
        "unknown": QT_TR_NOOP("Connecting…"),
        "idle": QT_TR_NOOP("Waiting for the next number"),
        "called": QT_TR_NOOP("Please come to this counter"),
        "serving": QT_TR_NOOP("Now serving"),
        "closed": QT_TR_NOOP("Counter closed"),
        "paused": QT_TR_NOOP("Counter paused"),
        "break": QT_TR_NOOP("Break"),
        "prayer": QT_TR_NOOP("Prayer break"),
        "system": QT_TR_NOOP("System problem"),
        "other": QT_TR_NOOP("Temporarily unavailable"),
        "offline": QT_TR_NOOP("Server offline"),
        "unreachable": QT_TR_NOOP("No network"),
        "closedHint": QT_TR_NOOP("Please go to another counter"),
        "pausedHint": QT_TR_NOOP("Service resumes shortly"),
        "come": QT_TR_NOOP("The officer will come to you"),  // voice guidance (marks.py)
        "priority": QT_TR_NOOP("Priority service")
    })

    // Both read i18n.language so that a language switch re-evaluates them.
    function primary(key) { return i18n.language ? qsTr(words[key]) : "" }
    function secondary(key) { return i18n.language ? i18n.alt("CounterScreen", words[key]) : "" }

    readonly property bool showsNumber: counter.number !== ""
                                        && (counter.status === "called" || counter.status === "serving")
    readonly property string statusKey: counter.status === "paused" ? counter.reason : counter.status
    readonly property string hintKey: counter.status === "paused" ? "pausedHint"
                                      : counter.status === "closed" ? "closedHint" : ""

    onVisibleChanged: phase = true
    Connections {
        target: counter
        function onFlashingChanged() { root.phase = true }
    }
    Timer {
        interval: 500
        repeat: true
        running: counter.flashing
        onTriggered: root.phase = !root.phase
    }

    Text {
        id: name
        textFormat: Text.PlainText
        objectName: "counterName"
        anchors { left: parent.left; top: parent.top; leftMargin: root.u * 0.5; topMargin: root.u * 0.3 }
        text: counter.counterName
        color: root.ink
        font { pixelSize: root.u * 1.1; bold: true }
    }

    Row {
        objectName: "offlineMarker"
        visible: bridge.status !== "connected" && bridge.status !== "connecting"
        anchors { right: parent.right; top: parent.top; rightMargin: root.u * 0.5; topMargin: root.u * 0.45 }
        spacing: root.u * 0.15
        Rectangle {
            width: root.u * 0.22; height: width; radius: width / 2
            color: "#ff5a4e"
            anchors.verticalCenter: parent.verticalCenter
        }
        Text {
            textFormat: Text.PlainText
            objectName: "offlineText"
            text: root.primary(bridge.status === "server_offline" ? "offline" : "unreachable")
            color: root.muted
            font.pixelSize: root.u * 0.3
        }
    }

    Rectangle {
        id: panel
        objectName: "numberPanel"
        visible: root.showsNumber
        anchors { left: parent.left; right: parent.right; top: name.bottom; bottom: parent.bottom
                  margins: root.u * 0.4 }
        radius: root.u * 0.2
        color: counter.flashing && root.phase ? root.accent : "#000000"
        border { color: root.accent; width: counter.flashing ? root.u * 0.08 : 0 }

        Text {
            textFormat: Text.PlainText
            objectName: "captionPrimary"
            anchors { horizontalCenter: parent.horizontalCenter; top: parent.top; topMargin: root.u * 0.2 }
            text: root.primary(counter.status)
            color: panel.color === root.accent ? "#000000" : root.ink
            font { pixelSize: root.u * 0.55; bold: true }
        }
        Text {
            textFormat: Text.PlainText
            objectName: "number"
            anchors.centerIn: parent
            anchors.verticalCenterOffset: root.u * 0.25
            text: counter.number
            color: panel.color === root.accent ? "#000000" : root.accent
            font { pixelSize: root.u * 3.3; bold: true; family: "DejaVu Sans" }
        }
        Text {
            textFormat: Text.PlainText
            objectName: "markText"
            visible: counter.mark !== ""
            anchors { horizontalCenter: parent.horizontalCenter; bottom: captionSecondary.top
                      bottomMargin: root.u * 0.1 }
            text: counter.mark ? root.primary(counter.mark) + "  ·  " + root.secondary(counter.mark) : ""
            color: panel.color === root.accent ? "#000000" : root.ink
            font { pixelSize: root.u * 0.4; bold: true }
        }
        Text {
            id: captionSecondary
            textFormat: Text.PlainText
            objectName: "captionSecondary"
            anchors { horizontalCenter: parent.horizontalCenter; bottom: parent.bottom; bottomMargin: root.u * 0.2 }
            text: root.secondary(counter.status)
            color: panel.color === root.accent ? "#000000" : root.muted
            font.pixelSize: root.u * 0.4
        }
    }

    Column {
        objectName: "statusBox"
        visible: !root.showsNumber
        anchors.centerIn: parent
        anchors.verticalCenterOffset: root.u * 0.5
        spacing: root.u * 0.15
        width: parent.width - root.u

        Text {
            textFormat: Text.PlainText
            objectName: "statusHeading"
            visible: counter.status === "paused"
            width: parent.width
            horizontalAlignment: Text.AlignHCenter
            text: root.primary("paused") + "  ·  " + root.secondary("paused")
            color: root.muted
            font.pixelSize: root.u * 0.4
        }
        Text {
            textFormat: Text.PlainText
            objectName: "statusPrimary"
            width: parent.width
            horizontalAlignment: Text.AlignHCenter
            wrapMode: Text.WordWrap
            text: root.primary(root.statusKey)
            color: counter.status === "idle" || counter.status === "unknown" ? root.ink : root.accent
            font { pixelSize: root.u * (counter.status === "idle" || counter.status === "unknown" ? 0.8 : 1.3); bold: true }
        }
        Text {
            textFormat: Text.PlainText
            objectName: "statusSecondary"
            width: parent.width
            horizontalAlignment: Text.AlignHCenter
            wrapMode: Text.WordWrap
            text: root.secondary(root.statusKey)
            color: root.muted
            font.pixelSize: root.u * 0.6
        }
        Item { width: 1; height: root.u * 0.3; visible: root.hintKey !== "" }
        Text {
            textFormat: Text.PlainText
            objectName: "hintPrimary"
            visible: root.hintKey !== ""
            width: parent.width
            horizontalAlignment: Text.AlignHCenter
            text: root.hintKey ? root.primary(root.hintKey) + "  ·  " + root.secondary(root.hintKey) : ""
            color: root.ink
            font.pixelSize: root.u * 0.4
        }
    }
}
