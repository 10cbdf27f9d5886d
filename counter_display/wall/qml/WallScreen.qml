// The hall wall display: the call being announced (huge), the latest calls of the zone,
// who is being served where, people waiting per service, the server's clock and date, a
// running-text line and a discreet status when the server is lost. Everything scales with
// the window (u = one ninth of a 16:9 height): 1920x1080 and 3840x2160 look the same.
// With images in the media folder a panel rotates them in the bottom row (the call panel
// keeps its size: it is what must be read from 15 m).
// Context properties: bridge (StateBridge), wall (WallModel), i18n (Translations),
// media (MediaRotator).
import QtQuick

Window {
    id: root
    width: 1920
    height: 1080
    visible: true
    color: "#000000"
    title: "MPP " + wall.siteName

    readonly property real u: Math.min(width / 16, height / 9)
    readonly property real pad: u * 0.18
    readonly property color ink: "#ffffff"
    readonly property color accent: "#ffd400"
    readonly property color muted: "#b8b8b8"
    readonly property color panel: "#14181f"
    readonly property color line: "#2c3440"
    readonly property string face: "DejaVu Sans"

    readonly property var words: ({
        "number": QT_TR_NOOP("Queue number"),
        "goTo": QT_TR_NOOP("Please go to"),
        "counterN": QT_TR_NOOP("Counter %1"),
        "recall": QT_TR_NOOP("Calling again"),
        "noCalls": QT_TR_NOOP("No calls yet"),
        "latest": QT_TR_NOOP("Latest calls"),
        "serving": QT_TR_NOOP("Now serving"),
        "waiting": QT_TR_NOOP("Waiting"),
        "closed": QT_TR_NOOP("Closed"),
        "paused": QT_TR_NOOP("Break"),
        "idle": QT_TR_NOOP("Open"),
        "offline": QT_TR_NOOP("Server offline"),
        "unreachable": QT_TR_NOOP("No network")
    })
    readonly property var weekdays: [QT_TR_NOOP("Monday"), QT_TR_NOOP("Tuesday"),
        QT_TR_NOOP("Wednesday"), QT_TR_NOOP("Thursday"), QT_TR_NOOP("Friday"),
        QT_TR_NOOP("Saturday"), QT_TR_NOOP("Sunday")]
    readonly property var months: [QT_TR_NOOP("January"), QT_TR_NOOP("February"),
        QT_TR_NOOP("March"), QT_TR_NOOP("April"), QT_TR_NOOP("May"), QT_TR_NOOP("June"),
        QT_TR_NOOP("July"), QT_TR_NOOP("August"), QT_TR_NOOP("September"),
        QT_TR_NOOP("October"), QT_TR_NOOP("November"), QT_TR_NOOP("December")]

    // Both read i18n.language so that a language switch re-evaluates them.
    function primary(key) { return i18n.language ? qsTr(words[key]) : "" }
    function secondary(key) { return i18n.language ? i18n.alt("WallScreen", words[key]) : "" }
    function tr(source) { return i18n.language ? qsTr(source) : "" }
    function loket(n) { return primary("counterN").arg(n) }
    function loketAlt(n) { return secondary("counterN").arg(n) }
    function serviceName(row) { return i18n.language === "en" ? row.nameEn : row.nameId }
    function dateText(d) {
        if (!d || d.length < 4) return ""
        return tr(weekdays[d[0]]) + ", " + d[1] + " " + tr(months[d[2]]) + " " + d[3]
    }

    readonly property var current: wall.current
    readonly property bool hasCall: current.number !== undefined && current.number !== ""
    readonly property bool hasMedia: media.count > 0 && media.source !== ""
    readonly property bool lost: bridge.status === "server_offline"
                                 || bridge.status === "broker_unreachable"

    // ------------------------------------------------------------------ header
    Item {
        id: header
        anchors { left: parent.left; right: parent.right; top: parent.top; margins: root.pad }
        height: root.u * 0.85

        Text {
            id: site
            textFormat: Text.PlainText
            objectName: "siteName"
            anchors { left: parent.left; verticalCenter: parent.verticalCenter }
            text: wall.siteName + (wall.zoneName ? "  ·  " + wall.zoneName : "")
            color: root.ink
            font { pixelSize: root.u * 0.42; bold: true; family: root.face }
            fontSizeMode: Text.HorizontalFit
            minimumPixelSize: root.u * 0.22
            elide: Text.ElideRight
            width: (status.visible ? status.x : clockBox.x) - root.u * 0.3
        }

        Row {
            id: status
            objectName: "statusMarker"
            visible: root.lost
            anchors { right: clockBox.left; rightMargin: root.u * 0.4; verticalCenter: parent.verticalCenter }
            spacing: root.u * 0.12
            Rectangle {
                width: root.u * 0.2; height: width; radius: width / 2
                color: "#ff5a4e"
                anchors.verticalCenter: parent.verticalCenter
            }
            Text {
                textFormat: Text.PlainText
                objectName: "statusText"
                text: root.primary(bridge.status === "server_offline" ? "offline" : "unreachable")
                color: root.muted
                font { pixelSize: root.u * 0.26; family: root.face }
                anchors.verticalCenter: parent.verticalCenter
            }
        }

        Row {
            id: clockBox
            anchors { right: parent.right; verticalCenter: parent.verticalCenter }
            spacing: root.u * 0.3
            Text {
                textFormat: Text.PlainText
                objectName: "date"
                text: root.dateText(wall.date)
                color: root.muted
                font { pixelSize: root.u * 0.32; family: root.face }
                anchors.baseline: clock.baseline
            }
            Text {
                id: clock
                textFormat: Text.PlainText
                objectName: "clock"
                text: wall.clock
                color: root.ink
                font { pixelSize: root.u * 0.62; bold: true; family: root.face }
            }
        }
    }

    // ------------------------------------------------------------------ the call
    Rectangle {
        id: callPanel
        objectName: "callPanel"
        anchors { left: parent.left; top: header.bottom; margins: root.pad }
        width: root.width * 0.62
        height: root.u * 4.15
        radius: root.u * 0.12
        color: wall.announcing ? root.accent : root.panel
        border { color: root.accent; width: root.u * 0.04 }
        readonly property color fg: wall.announcing ? "#000000" : root.ink
        readonly property color hi: wall.announcing ? "#000000" : root.accent

        Text {
            textFormat: Text.PlainText
            objectName: "callCaption"
            visible: root.hasCall
            anchors { horizontalCenter: parent.horizontalCenter; top: parent.top; topMargin: root.u * 0.15 }
            readonly property string key: root.current.recall > 0 ? "recall" : "number"
            text: root.primary(key) + "  ·  " + root.secondary(key)
            width: parent.width - root.u * 0.4
            horizontalAlignment: Text.AlignHCenter
            fontSizeMode: Text.HorizontalFit
            minimumPixelSize: root.u * 0.2
            color: callPanel.fg
            font { pixelSize: root.u * 0.36; family: root.face; bold: root.current.recall > 0 }
        }
        Text {
            id: bigNumber
            textFormat: Text.PlainText
            objectName: "callNumber"
            visible: root.hasCall
            anchors { horizontalCenter: parent.horizontalCenter; top: parent.top; topMargin: root.u * 0.4 }
            text: root.hasCall ? root.current.number : ""
            color: callPanel.hi
            font { pixelSize: root.u * 1.9; bold: true; family: root.face }
        }
        Text {
            textFormat: Text.PlainText
            objectName: "callCounter"
            visible: root.hasCall
            anchors { horizontalCenter: parent.horizontalCenter; top: bigNumber.bottom; topMargin: -root.u * 0.2 }
            text: root.hasCall ? "→ " + root.loket(root.current.counterNumber) : ""
            color: callPanel.fg
            font { pixelSize: root.u * 1.0; bold: true; family: root.face }
        }
        Text {
            textFormat: Text.PlainText
            objectName: "callCounterAlt"
            visible: root.hasCall
            anchors { horizontalCenter: parent.horizontalCenter; bottom: parent.bottom; bottomMargin: root.u * 0.12 }
            text: root.hasCall ? root.secondary("goTo") + " " + root.loketAlt(root.current.counterNumber) : ""
            color: wall.announcing ? "#000000" : root.muted
            font { pixelSize: root.u * 0.32; family: root.face }
        }
        Column {
            visible: !root.hasCall
            anchors.centerIn: parent
            spacing: root.u * 0.1
            Text {
                textFormat: Text.PlainText
                objectName: "noCalls"
                anchors.horizontalCenter: parent.horizontalCenter
                text: root.primary("noCalls")
                color: root.ink
                font { pixelSize: root.u * 0.7; bold: true; family: root.face }
            }
            Text {
                textFormat: Text.PlainText
                anchors.horizontalCenter: parent.horizontalCenter
                text: root.secondary("noCalls")
                color: root.muted
                font { pixelSize: root.u * 0.4; family: root.face }
            }
        }
    }

    // ------------------------------------------------------------------ latest calls
    Rectangle {
        id: latest
        anchors { left: callPanel.right; right: parent.right; top: callPanel.top; leftMargin: root.pad; rightMargin: root.pad }
        height: callPanel.height
        radius: root.u * 0.12
        color: root.panel

        Heading { id: latestHead; key: "latest" }

        Column {
            objectName: "recentList"
            anchors { left: parent.left; right: parent.right; top: latestHead.bottom; margins: root.u * 0.2; topMargin: root.u * 0.05 }
            Repeater {
                model: wall.recent
                delegate: Item {
                    required property var modelData
                    required property int index
                    width: parent.width
                    height: root.u * 0.56
                    Rectangle {
                        anchors { left: parent.left; right: parent.right; bottom: parent.bottom }
                        height: Math.max(1, root.u * 0.01)
                        color: root.line
                    }
                    Text {
                        textFormat: Text.PlainText
                        objectName: "recentNumber" + index
                        anchors { left: parent.left; verticalCenter: parent.verticalCenter }
                        text: modelData.number
                        color: root.accent
                        font { pixelSize: root.u * 0.48; bold: true; family: root.face }
                    }
                    Text {
                        textFormat: Text.PlainText
                        objectName: "recentCounter" + index
                        anchors { right: parent.right; verticalCenter: parent.verticalCenter }
                        text: root.loket(modelData.counterNumber)
                        color: root.ink
                        font { pixelSize: root.u * 0.44; family: root.face }
                    }
                }
            }
        }
    }

    // ------------------------------------------------------------------ now serving
    Rectangle {
        id: servingBox
        objectName: "servingBox"
        anchors { left: parent.left; top: callPanel.bottom; bottom: ticker.top; margins: root.pad }
        width: root.hasMedia ? root.width * 0.4 : callPanel.width
        radius: root.u * 0.12
        color: root.panel

        Heading { id: servingHead; key: "serving" }

        Grid {
            id: tiles
            objectName: "counterGrid"
            readonly property int n: Math.max(1, wall.counterRows.length)
            // the number of rows that gives the largest text (the box is narrower when the
            // media panel is there)
            readonly property int rowsWanted: {
                let best = 1, bestSize = 0
                for (let r = 1; r <= Math.min(4, n); r++) {
                    const c = Math.ceil(n / r)
                    const size = Math.min((height - spacing * (r - 1)) / r * 0.3,
                                          (width - spacing * (c - 1)) / c * 0.16)
                    if (size > bestSize) { best = r; bestSize = size }
                }
                return best
            }
            anchors { left: parent.left; right: parent.right; top: servingHead.bottom; bottom: parent.bottom
                      margins: root.u * 0.15; topMargin: root.u * 0.05 }
            columns: Math.ceil(n / rowsWanted)
            spacing: root.u * 0.08
            readonly property real tileW: (width - spacing * (columns - 1)) / columns
            readonly property real tileH: (height - spacing * (rowsWanted - 1)) / rowsWanted
            Repeater {
                model: wall.counterRows
                delegate: Rectangle {
                    required property var modelData
                    required property int index
                    objectName: "counterTile_" + modelData.counter
                    width: tiles.tileW
                    height: tiles.tileH
                    radius: root.u * 0.06
                    readonly property bool called: modelData.status === "called"
                    readonly property bool active: called || modelData.status === "serving"
                    color: called ? root.accent : active ? "#26303c" : "#0b0d11"
                    border { color: root.line; width: Math.max(1, root.u * 0.01) }
                    readonly property real fs: Math.min(height * 0.3, width * 0.16)
                    Text {
                        textFormat: Text.PlainText
                        anchors { horizontalCenter: parent.horizontalCenter; top: parent.top; topMargin: parent.height * 0.06 }
                        text: root.loket(modelData.counterNumber)
                        color: parent.called ? "#000000" : root.muted
                        font { pixelSize: parent.fs * 0.85; family: root.face }
                    }
                    Text {
                        textFormat: Text.PlainText
                        objectName: "counterTicket_" + modelData.counter
                        anchors { horizontalCenter: parent.horizontalCenter; bottom: parent.bottom; bottomMargin: parent.height * 0.08 }
                        text: parent.active ? modelData.ticket
                              : root.primary(modelData.status === "paused" ? "paused"
                                             : modelData.status === "idle" ? "idle" : "closed")
                        color: parent.called ? "#000000" : parent.active ? root.ink : "#6f7680"
                        font { pixelSize: parent.active ? parent.fs * 1.25 : parent.fs * 0.8
                               bold: parent.active; family: root.face }
                    }
                }
            }
        }
    }

    // ------------------------------------------------------------------ waiting
    Rectangle {
        id: waitingBox
        objectName: "waitingBox"
        anchors { left: servingBox.right; right: root.hasMedia ? mediaBox.left : parent.right
                  top: servingBox.top; bottom: servingBox.bottom
                  leftMargin: root.pad; rightMargin: root.pad }
        radius: root.u * 0.12
        color: root.panel

        Heading { id: waitingHead; key: "waiting" }

        Grid {
            id: queues
            objectName: "queueGrid"
            readonly property int n: Math.max(1, wall.queueRows.length)
            anchors { left: parent.left; right: parent.right; top: waitingHead.bottom; bottom: parent.bottom
                      margins: root.u * 0.15; topMargin: root.u * 0.05 }
            columns: n > 5 ? 2 : 1
            columnSpacing: root.u * 0.2
            readonly property int rowsNeeded: Math.ceil(n / columns)
            readonly property real cellW: (width - columnSpacing * (columns - 1)) / columns
            readonly property real cellH: Math.min(root.u * 0.5, height / rowsNeeded)
            Repeater {
                model: wall.queueRows
                delegate: Item {
                    required property var modelData
                    required property int index
                    objectName: "queue_" + modelData.service
                    width: queues.cellW
                    height: queues.cellH
                    readonly property real fs: height * 0.72
                    Text {
                        id: prefix
                        textFormat: Text.PlainText
                        anchors { left: parent.left; verticalCenter: parent.verticalCenter }
                        width: parent.fs * 1.3
                        text: modelData.prefix
                        color: root.accent
                        font { pixelSize: parent.fs; bold: true; family: root.face }
                    }
                    Text {
                        textFormat: Text.PlainText
                        anchors { left: prefix.right; right: count.left; rightMargin: parent.fs * 0.3
                                  verticalCenter: parent.verticalCenter }
                        text: root.serviceName(modelData)
                        elide: Text.ElideRight
                        color: modelData.open ? root.ink : "#6f7680"
                        font { pixelSize: parent.fs * 0.78; family: root.face }
                    }
                    Text {
                        id: count
                        textFormat: Text.PlainText
                        objectName: "waiting_" + modelData.service
                        anchors { right: parent.right; verticalCenter: parent.verticalCenter }
                        text: modelData.waiting
                        color: root.ink
                        font { pixelSize: parent.fs; bold: true; family: root.face }
                    }
                }
            }
        }
    }

    // ------------------------------------------------------------------ public information
    Rectangle {
        id: mediaBox
        objectName: "mediaBox"
        visible: root.hasMedia
        anchors { right: parent.right; top: servingBox.top; bottom: servingBox.bottom; rightMargin: root.pad }
        width: visible ? Math.min(height * 16 / 9, root.width * 0.34) : 0
        radius: root.u * 0.12
        color: root.panel
        clip: true

        Image {
            id: mediaImage
            objectName: "mediaImage"
            // (a bare `status` here would be the header's Row of that id)
            readonly property bool ready: mediaImage.status === Image.Ready
            anchors { fill: parent; margins: root.u * 0.06 }
            source: media.source
            fillMode: Image.PreserveAspectFit
            asynchronous: true
            cache: false
            smooth: true
            sourceSize { width: width; height: height }
        }
    }

    // ------------------------------------------------------------------ running text
    Rectangle {
        id: ticker
        objectName: "ticker"
        readonly property string message: wall.messageId === "" ? ""
            : wall.messageEn && wall.messageEn !== wall.messageId
              ? (i18n.language === "en" ? wall.messageEn + "   •   " + wall.messageId
                                        : wall.messageId + "   •   " + wall.messageEn)
              : wall.messageId
        visible: message !== ""
        anchors { left: parent.left; right: parent.right; bottom: parent.bottom }
        height: visible ? root.u * 0.75 : 0
        color: "#0d2a5c"
        clip: true

        Text {
            id: tickerText
            textFormat: Text.PlainText
            objectName: "tickerText"
            anchors.verticalCenter: parent.verticalCenter
            text: ticker.message
            color: root.ink
            font { pixelSize: root.u * 0.42; family: root.face }
            readonly property bool scrolls: implicitWidth > ticker.width - root.u
            x: scrolls ? 0 : (ticker.width - implicitWidth) / 2
        }
        NumberAnimation {
            target: tickerText
            property: "x"
            running: tickerText.scrolls && ticker.visible
            loops: Animation.Infinite
            from: ticker.width * 0.02
            to: -tickerText.implicitWidth
            duration: Math.max(1, (ticker.width + tickerText.implicitWidth) / (root.u * 1.2) * 1000)
        }
    }

    component Heading: Row {
        property string key
        anchors { left: parent.left; top: parent.top; leftMargin: root.u * 0.2; topMargin: root.u * 0.1 }
        height: root.u * 0.5
        spacing: root.u * 0.2
        Text {
            id: headPrimary
            textFormat: Text.PlainText
            text: root.primary(parent.key)
            color: root.ink
            font { pixelSize: root.u * 0.34; bold: true; family: root.face }
        }
        Text {
            textFormat: Text.PlainText
            anchors.baseline: headPrimary.baseline
            text: root.secondary(parent.key)
            color: root.muted
            font { pixelSize: root.u * 0.24; family: root.face }
        }
    }
}
