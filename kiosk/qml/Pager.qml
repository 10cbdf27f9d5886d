// Pages of a list in large mode ("fewer choices per screen"): previous, "page 1 of 3",
// more (the page line above the buttons in portrait, between them in landscape). A list
// shows the items for which shows(index) is true; `per` comes from the list.
import QtQuick

Item {
    id: pager
    required property var ui  // the window: palette, sizes, p() and s()
    property int count
    property int per: Math.max(1, count)
    property int page: 0
    readonly property int pages: Math.max(1, Math.ceil(count / per))
    readonly property int first: page * per
    readonly property real buttonWidth: ui.landscape ? ui.u * 4 : (width - ui.u * 0.3) / 2
    function shows(index) { return index >= first && index < first + per }
    function reveal(index) { if (index >= 0) page = Math.floor(index / per) }  // voice focus
    onPagesChanged: if (page >= pages) page = pages - 1
    // reserved in large mode, so `per` never loops
    height: ui.large ? ui.u * (ui.landscape ? 1.3 : 2) : 0
    visible: pages > 1

    Text {
        textFormat: Text.PlainText
        objectName: "pageOf"
        anchors { left: parent.left; right: parent.right; top: parent.top }
        height: ui.landscape ? parent.height : ui.u * 0.55
        horizontalAlignment: Text.AlignHCenter
        verticalAlignment: Text.AlignVCenter
        text: ui.p("pageOf").arg(pager.page + 1).arg(pager.pages)
        color: ui.ink
        font { pixelSize: ui.u * 0.4; bold: true }
    }
    KButton {
        ui: pager.ui
        objectName: "pagePrev"
        anchors { left: parent.left; bottom: parent.bottom }
        width: pager.buttonWidth; height: ui.u * 1.3
        enabled: pager.page > 0
        label: "‹ " + ui.p("prevPage")
        spoken: ui.p("prevPage")
        hint: ui.p("prevPageHint")
        size: ui.u * 0.45
        onClicked: pager.page = pager.page - 1
    }
    KButton {
        ui: pager.ui
        objectName: "pageNext"
        anchors { right: parent.right; bottom: parent.bottom }
        width: pager.buttonWidth; height: ui.u * 1.3
        enabled: pager.page < pager.pages - 1
        label: ui.p("nextPage") + " ›"
        spoken: ui.p("nextPage")
        hint: ui.p("nextPageHint")
        size: ui.u * 0.45
        onClicked: pager.page = pager.page + 1
    }
}
