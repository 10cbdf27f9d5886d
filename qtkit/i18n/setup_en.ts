<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="en">
<context>
    <name>SetupWindow</name>
    <message>
        <location filename="../qml/SetupWindow.qml" line="22"/>
        <source>Looking for the queue server on this network…</source>
        <translation>Looking for the queue server on this network…</translation>
    </message>
    <message>
        <location filename="../qml/SetupWindow.qml" line="23"/>
        <source>Two halls found: %1</source>
        <translation>Two halls found: %1</translation>
    </message>
    <message>
        <location filename="../qml/SetupWindow.qml" line="24"/>
        <source>%1 halls found: %2</source>
        <translation>%1 halls found: %2</translation>
    </message>
    <message>
        <location filename="../qml/SetupWindow.qml" line="25"/>
        <source>This box does not know which one it belongs to: provision it with its bundle.</source>
        <translation>This box does not know which one it belongs to: provision it with its bundle.</translation>
    </message>
    <message>
        <location filename="../qml/SetupWindow.qml" line="26"/>
        <source>This box belongs to %1.</source>
        <translation>This box belongs to %1.</translation>
    </message>
    <message>
        <location filename="../qml/SetupWindow.qml" line="27"/>
        <source>Also on this network: %1</source>
        <translation>Also on this network: %1</translation>
    </message>
    <message>
        <location filename="../qml/SetupWindow.qml" line="28"/>
        <source>Switch the queue server on, or check this box&apos;s network cable.</source>
        <translation>Switch the queue server on, or check this box&apos;s network cable.</translation>
    </message>
    <message>
        <location filename="../qml/SetupWindow.qml" line="29"/>
        <source>This box keeps looking and connects by itself as soon as it finds its server.</source>
        <translation>This box keeps looking and connects by itself as soon as it finds its server.</translation>
    </message>
    <message>
        <location filename="../qml/SetupWindow.qml" line="30"/>
        <source>Device</source>
        <translation>Device</translation>
    </message>
    <message>
        <location filename="../qml/SetupWindow.qml" line="31"/>
        <source>This box&apos;s addresses</source>
        <translation>This box&apos;s addresses</translation>
    </message>
    <message>
        <location filename="../qml/SetupWindow.qml" line="32"/>
        <source>Looking for</source>
        <translation>Looking for</translation>
    </message>
    <message>
        <location filename="../qml/SetupWindow.qml" line="33"/>
        <source>none: no network</source>
        <translation>none: no network</translation>
    </message>
    <message>
        <location filename="../qml/SetupWindow.qml" line="34"/>
        <source>Network discovery is not working here: %1</source>
        <translation>Network discovery is not working here: %1</translation>
    </message>
</context>
</TS>
