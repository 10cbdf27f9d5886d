// The setup screen every box shows while it has no server to talk to: what it is doing
// (looking, or two halls and no way to tell which is its own), who it is (device id, its
// own addresses) and for how long it has been looking. It keeps looking by itself; the
// technician reads it from across the hall. Primary language large, the other under it.
// Context properties: finder (qtkit.setup.Finder), i18n (Translations).
import QtQuick

Window {
    id: root
    width: 1280
    height: 720
    visible: true
    color: "#10233f"
    title: "MPP setup"

    readonly property real u: Math.min(width / 12, height / 9)  // landscape and portrait
    readonly property color ink: "#ffffff"
    readonly property color muted: "#b9c6d8"
    readonly property color accent: "#ffd400"

    readonly property var words: ({
        "looking": QT_TR_NOOP("Looking for the queue server on this network…"),
        "two": QT_TR_NOOP("Two halls found: %1"),
        "many": QT_TR_NOOP("%1 halls found: %2"),
        "which": QT_TR_NOOP("This box does not know which one it belongs to: provision it with its bundle."),
        "site": QT_TR_NOOP("This box belongs to %1."),
        "others": QT_TR_NOOP("Also on this network: %1"),
        "hint": QT_TR_NOOP("Switch the queue server on, or check this box's network cable."),
        "keeps": QT_TR_NOOP("This box keeps looking and connects by itself as soon as it finds its server."),
        "device": QT_TR_NOOP("Device"),
        "addresses": QT_TR_NOOP("This box's addresses"),
        "elapsed": QT_TR_NOOP("Looking for"),
        "noAddress": QT_TR_NOOP("none: no network"),
        "problem": QT_TR_NOOP("Network discovery is not working here: %1")
    })

    // Both read i18n.language so that a language switch re-evaluates them.
    function primary(key) { return i18n.language ? qsTr(words[key]) : "" }
    function secondary(key) { return i18n.language ? i18n.alt("SetupWindow", words[key]) : "" }

    readonly property bool ambiguous: finder.outcome === "ambiguous"
    readonly property string sitesText: finder.sites.join(", ")
    readonly property string othersText: finder.sites.filter(s => s !== finder.siteId).join(", ")

    // i18n.language is "" once the screen is closing: no text, and no .arg() on nothing
    function heading(lang) {
        if (!i18n.language)
            return ""
        const say = lang === "primary" ? primary : secondary
        if (!ambiguous)
            return say("looking")
        return finder.sites.length === 2 ? say("two").arg(sitesText)
                                         : say("many").arg(finder.sites.length).arg(sitesText)
    }
    function detail(lang) {
        if (!i18n.language)
            return ""
        const say = lang === "primary" ? primary : secondary
        if (ambiguous)
            return say("which")
        if (finder.siteId !== "")
            return say("site").arg(finder.siteId)
                   + (othersText !== "" ? " " + say("others").arg(othersText) : "")
        return say("hint")
    }
    function clock(seconds) {
        const m = Math.floor(seconds / 60), s = seconds % 60
        return m + ":" + (s < 10 ? "0" : "") + s
    }

    Column {
        anchors { left: parent.left; right: parent.right; top: parent.top
                  margins: root.u * 0.6 }
        spacing: root.u * 0.25

        Row {
            spacing: root.u * 0.3
            Rectangle {  // a slow pulse: the box is alive and still looking
                objectName: "pulse"
                width: root.u * 0.45; height: width; radius: width / 2
                anchors.verticalCenter: parent.verticalCenter
                color: root.ambiguous ? "#ff8a3d" : root.accent
                SequentialAnimation on opacity {
                    loops: Animation.Infinite
                    NumberAnimation { to: 0.25; duration: 900 }
                    NumberAnimation { to: 1.0; duration: 900 }
                }
            }
            Text {
                objectName: "headingPrimary"
                textFormat: Text.PlainText
                width: root.width - root.u * 2.2
                wrapMode: Text.WordWrap
                text: root.heading("primary")
                color: root.ink
                font { pixelSize: root.u * 0.55; bold: true }
            }
        }
        Text {
            objectName: "headingSecondary"
            textFormat: Text.PlainText
            width: parent.width
            wrapMode: Text.WordWrap
            text: root.heading("secondary")
            color: root.muted
            font.pixelSize: root.u * 0.38
        }
        Item { width: 1; height: root.u * 0.1 }
        Text {
            objectName: "detailPrimary"
            textFormat: Text.PlainText
            width: parent.width
            wrapMode: Text.WordWrap
            text: root.detail("primary")
            color: root.ambiguous ? "#ffb37a" : root.ink
            font.pixelSize: root.u * 0.38
        }
        Text {
            objectName: "detailSecondary"
            textFormat: Text.PlainText
            width: parent.width
            wrapMode: Text.WordWrap
            text: root.detail("secondary")
            color: root.muted
            font.pixelSize: root.u * 0.32
        }
        Text {
            objectName: "problem"
            textFormat: Text.PlainText
            visible: finder.problem !== ""
            width: parent.width
            wrapMode: Text.WordWrap
            text: i18n.language ? root.primary("problem").arg(finder.problem) : ""
            color: "#ff8a80"
            font.pixelSize: root.u * 0.3
        }
    }

    Rectangle {  // who this box is: what the technician compares with the site plan
        anchors { left: parent.left; right: parent.right; bottom: parent.bottom
                  margins: root.u * 0.6 }
        height: about.height + root.u * 0.6
        radius: root.u * 0.15
        color: "#1b3560"
        Column {
            id: about
            anchors { left: parent.left; right: parent.right; top: parent.top
                      margins: root.u * 0.3 }
            spacing: root.u * 0.2
            Grid {
                columns: 2
                columnSpacing: root.u * 0.5
                rowSpacing: root.u * 0.12
                Text {
                    textFormat: Text.PlainText
                    text: root.primary("device") + " / " + root.secondary("device")
                    color: root.muted; font.pixelSize: root.u * 0.3
                }
                Text {
                    objectName: "deviceId"
                    textFormat: Text.PlainText
                    text: finder.deviceId
                    color: root.ink; font { pixelSize: root.u * 0.3; bold: true }
                }
                Text {
                    textFormat: Text.PlainText
                    text: root.primary("addresses") + " / " + root.secondary("addresses")
                    color: root.muted; font.pixelSize: root.u * 0.3
                }
                Text {
                    objectName: "addresses"
                    textFormat: Text.PlainText
                    text: finder.addresses.length ? finder.addresses.join(", ")
                                                  : root.primary("noAddress")
                    color: root.ink; font { pixelSize: root.u * 0.3; bold: true }
                }
                Text {
                    textFormat: Text.PlainText
                    text: root.primary("elapsed") + " / " + root.secondary("elapsed")
                    color: root.muted; font.pixelSize: root.u * 0.3
                }
                Text {
                    objectName: "elapsed"
                    textFormat: Text.PlainText
                    text: root.clock(finder.elapsed)
                    color: root.ink; font { pixelSize: root.u * 0.3; bold: true }
                }
            }
            Text {
                objectName: "keepsLooking"
                textFormat: Text.PlainText
                width: parent.width
                wrapMode: Text.WordWrap
                text: root.primary("keeps") + "\n" + root.secondary("keeps")
                color: root.muted
                font.pixelSize: root.u * 0.26
            }
        }
    }
}
