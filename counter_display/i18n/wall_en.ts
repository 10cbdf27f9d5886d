<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="en">
<context>
    <name>WallScreen</name>
    <message>
        <location filename="../wall/qml/WallScreen.qml" line="26"/>
        <source>Queue number</source>
        <translation>Queue number</translation>
    </message>
    <message>
        <location filename="../wall/qml/WallScreen.qml" line="27"/>
        <source>Please go to</source>
        <translation>Please go to</translation>
    </message>
    <message>
        <location filename="../wall/qml/WallScreen.qml" line="28"/>
        <source>Counter %1</source>
        <translation>Counter %1</translation>
    </message>
    <message>
        <location filename="../wall/qml/WallScreen.qml" line="29"/>
        <source>Calling again</source>
        <translation>Calling again</translation>
    </message>
    <message>
        <location filename="../wall/qml/WallScreen.qml" line="30"/>
        <source>No calls yet</source>
        <translation>No calls yet</translation>
    </message>
    <message>
        <location filename="../wall/qml/WallScreen.qml" line="31"/>
        <source>Latest calls</source>
        <translation>Latest calls</translation>
    </message>
    <message>
        <location filename="../wall/qml/WallScreen.qml" line="32"/>
        <source>Now serving</source>
        <translation>Now serving</translation>
    </message>
    <message>
        <location filename="../wall/qml/WallScreen.qml" line="33"/>
        <source>Waiting</source>
        <translation>Waiting</translation>
    </message>
    <message>
        <location filename="../wall/qml/WallScreen.qml" line="34"/>
        <source>Closed</source>
        <translation>Closed</translation>
    </message>
    <message>
        <location filename="../wall/qml/WallScreen.qml" line="35"/>
        <source>Break</source>
        <translation>Break</translation>
    </message>
    <message>
        <location filename="../wall/qml/WallScreen.qml" line="36"/>
        <source>Open</source>
        <translation>Open</translation>
    </message>
    <message>
        <location filename="../wall/qml/WallScreen.qml" line="37"/>
        <source>Server offline</source>
        <translation>Server offline</translation>
    </message>
    <message>
        <location filename="../wall/qml/WallScreen.qml" line="38"/>
        <source>No network</source>
        <translation>No network</translation>
    </message>
    <message>
        <location filename="../wall/qml/WallScreen.qml" line="40"/>
        <source>Monday</source>
        <translation>Monday</translation>
    </message>
    <message>
        <location filename="../wall/qml/WallScreen.qml" line="40"/>
        <source>Tuesday</source>
        <translation>Tuesday</translation>
    </message>
    <message>
        <location filename="../wall/qml/WallScreen.qml" line="41"/>
        <source>Wednesday</source>
        <translation>Wednesday</translation>
    </message>
    <message>
        <location filename="../wall/qml/WallScreen.qml" line="41"/>
        <source>Thursday</source>
        <translation>Thursday</translation>
    </message>
    <message>
        <location filename="../wall/qml/WallScreen.qml" line="41"/>
        <source>Friday</source>
        <translation>Friday</translation>
    </message>
    <message>
        <location filename="../wall/qml/WallScreen.qml" line="42"/>
        <source>Saturday</source>
        <translation>Saturday</translation>
    </message>
    <message>
        <location filename="../wall/qml/WallScreen.qml" line="42"/>
        <source>Sunday</source>
        <translation>Sunday</translation>
    </message>
    <message>
        <location filename="../wall/qml/WallScreen.qml" line="43"/>
        <source>January</source>
        <translation>January</translation>
    </message>
    <message>
        <location filename="../wall/qml/WallScreen.qml" line="43"/>
        <source>February</source>
        <translation>February</translation>
    </message>
    <message>
        <location filename="../wall/qml/WallScreen.qml" line="44"/>
        <source>March</source>
        <translation>March</translation>
    </message>
    <message>
        <location filename="../wall/qml/WallScreen.qml" line="44"/>
        <source>April</source>
        <translation>April</translation>
    </message>
    <message>
        <location filename="../wall/qml/WallScreen.qml" line="44"/>
        <source>May</source>
        <translation>May</translation>
    </message>
    <message>
        <location filename="../wall/qml/WallScreen.qml" line="44"/>
        <source>June</source>
        <translation>June</translation>
    </message>
    <message>
        <location filename="../wall/qml/WallScreen.qml" line="45"/>
        <source>July</source>
        <translation>July</translation>
    </message>
    <message>
        <location filename="../wall/qml/WallScreen.qml" line="45"/>
        <source>August</source>
        <translation>August</translation>
    </message>
    <message>
        <location filename="../wall/qml/WallScreen.qml" line="45"/>
        <source>September</source>
        <translation>September</translation>
    </message>
    <message>
        <location filename="../wall/qml/WallScreen.qml" line="46"/>
        <source>October</source>
        <translation>October</translation>
    </message>
    <message>
        <location filename="../wall/qml/WallScreen.qml" line="46"/>
        <source>November</source>
        <translation>November</translation>
    </message>
    <message>
        <location filename="../wall/qml/WallScreen.qml" line="46"/>
        <source>December</source>
        <translation>December</translation>
    </message>
</context>
</TS>
