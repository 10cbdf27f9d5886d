<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="en">
<context>
    <name>CounterScreen</name>
    <message>
        <location filename="../counter/qml/CounterScreen.qml" line="21"/>
        <source>Connecting…</source>
        <translation>Connecting…</translation>
    </message>
    <message>
        <location filename="../counter/qml/CounterScreen.qml" line="22"/>
        <source>Waiting for the next number</source>
        <translation>Waiting for the next number</translation>
    </message>
    <message>
        <location filename="../counter/qml/CounterScreen.qml" line="23"/>
        <source>Please come to this counter</source>
        <translation>Please come to this counter</translation>
    </message>
    <message>
        <location filename="../counter/qml/CounterScreen.qml" line="24"/>
        <source>Now serving</source>
        <translation>Now serving</translation>
    </message>
    <message>
        <location filename="../counter/qml/CounterScreen.qml" line="25"/>
        <source>Counter closed</source>
        <translation>Counter closed</translation>
    </message>
    <message>
        <location filename="../counter/qml/CounterScreen.qml" line="26"/>
        <source>Counter paused</source>
        <translation>Counter paused</translation>
    </message>
    <message>
        <location filename="../counter/qml/CounterScreen.qml" line="27"/>
        <source>Break</source>
        <translation>Break</translation>
    </message>
    <message>
        <location filename="../counter/qml/CounterScreen.qml" line="28"/>
        <source>Prayer break</source>
        <translation>Prayer break</translation>
    </message>
    <message>
        <location filename="../counter/qml/CounterScreen.qml" line="29"/>
        <source>System problem</source>
        <translation>System problem</translation>
    </message>
    <message>
        <location filename="../counter/qml/CounterScreen.qml" line="30"/>
        <source>Temporarily unavailable</source>
        <translation>Temporarily unavailable</translation>
    </message>
    <message>
        <location filename="../counter/qml/CounterScreen.qml" line="31"/>
        <source>Server offline</source>
        <translation>Server offline</translation>
    </message>
    <message>
        <location filename="../counter/qml/CounterScreen.qml" line="32"/>
        <source>No network</source>
        <translation>No network</translation>
    </message>
    <message>
        <location filename="../counter/qml/CounterScreen.qml" line="33"/>
        <source>Please go to another counter</source>
        <translation>Please go to another counter</translation>
    </message>
    <message>
        <location filename="../counter/qml/CounterScreen.qml" line="34"/>
        <source>Service resumes shortly</source>
        <translation>Service resumes shortly</translation>
    </message>
    <message>
        <location filename="../counter/qml/CounterScreen.qml" line="35"/>
        <source>The officer will come to you</source>
        <translation>The officer will come to you</translation>
    </message>
    <message>
        <location filename="../counter/qml/CounterScreen.qml" line="36"/>
        <source>Priority service</source>
        <translation>Priority service</translation>
    </message>
</context>
</TS>
