// The agencies with at least one service (kiosk.agencies, a list model).
import QtQuick

Item {
    id: page
    required property var ui  // the window: palette, sizes, p() and s()

    function initials(text) {
        var parts = text.split(" ").filter(function (w) { return w.length > 2 })
        return parts.slice(0, 2).map(function (w) { return w[0].toUpperCase() }).join("")
    }

    Title {
        id: agencyTitle
        ui: page.ui
        anchors { left: parent.left; right: parent.right; top: parent.top }
        primary: ui.p("chooseAgency")
        secondary: ui.s("chooseAgency")
    }
    Flickable {
        id: agencyFlick
        anchors { left: parent.left; right: parent.right; top: agencyTitle.bottom
                  bottom: pager.top; topMargin: ui.u * 0.4; bottomMargin: ui.large ? ui.u * 0.3 : 0 }
        contentHeight: grid.height
        clip: true
        boundsBehavior: Flickable.StopAtBounds
        Grid {
            id: grid
            width: parent.width
            columns: ui.large ? (ui.landscape ? 2 : 1) : (ui.landscape ? 4 : 2)
            spacing: ui.u * 0.3
            // large mode: as many rows of the smallest tile as fit, at most four
            readonly property int perPage: Math.max(1, Math.min(4, Math.floor(
                (agencyFlick.height + spacing) / (ui.u * 1.6 + spacing)))) * columns
            readonly property int rows: Math.max(1, Math.ceil(Math.min(kiosk.agencies.count,
                                                                       pager.per) / columns))
            readonly property real fit: (agencyFlick.height - spacing * (rows - 1)) / rows
            Repeater {
                model: kiosk.agencies
                Rectangle {
                    objectName: "agency-" + model.id
                    visible: pager.shows(index)
                    Accessible.role: Accessible.Button
                    Accessible.name: ui.nm(model)
                    Accessible.description: ui.p("agencyHint")
                    Accessible.onPressAction: kiosk.chooseAgency(model.id)
                    width: (grid.width - grid.spacing * (grid.columns - 1)) / grid.columns
                    height: Math.max(ui.u * 1.6, Math.min(ui.u * 2.8, grid.fit))
                    radius: ui.u * 0.18
                    color: mouse.pressed ? Qt.darker(ui.action, 1.3) : ui.action
                    readonly property bool voiced: voice.focusName === objectName
                    border { color: voiced ? ui.accent : ui.edge
                             width: voiced ? ui.u * 0.1 : ui.edgeWidth }
                    Rectangle {
                        id: icon
                        anchors { left: parent.left; verticalCenter: parent.verticalCenter
                                  leftMargin: ui.u * 0.3 }
                        width: ui.u * 1.1; height: width; radius: width / 2
                        color: ui.ink
                        Text {
                            textFormat: Text.PlainText
                            anchors.centerIn: parent
                            text: page.initials(model.nameId)
                            color: ui.action
                            font { pixelSize: ui.u * 0.5; bold: true }
                        }
                    }
                    Text {
                        textFormat: Text.PlainText
                        anchors { left: icon.right; right: parent.right; verticalCenter: parent.verticalCenter
                                  leftMargin: ui.u * 0.25; rightMargin: ui.u * 0.2 }
                        height: parent.height - ui.u * 0.2
                        text: ui.nm(model)
                        wrapMode: Text.WordWrap
                        verticalAlignment: Text.AlignVCenter
                        fontSizeMode: Text.Fit
                        minimumPixelSize: ui.u * 0.26
                        elide: Text.ElideRight
                        color: ui.ink
                        font { pixelSize: ui.u * 0.38; bold: true }
                    }
                    MouseArea { id: mouse; anchors.fill: parent; onClicked: kiosk.chooseAgency(model.id) }
                }
            }
        }
    }
    Pager {
        id: pager
        ui: page.ui
        anchors { left: parent.left; right: parent.right; bottom: parent.bottom }
        count: kiosk.agencies.count
        per: ui.large ? grid.perPage : Math.max(1, count)
    }
    Connections {  // the page of the agency voice guidance speaks of
        target: voice
        function onFocusChanged() { if (voice.focusName.indexOf("agency-") === 0) pager.reveal(voice.focusIndex) }
    }
}
