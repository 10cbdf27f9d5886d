<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="id" sourcelanguage="en">
<context>
    <name>SetupWindow</name>
    <message>
        <location filename="../qml/SetupWindow.qml" line="22"/>
        <source>Looking for the queue server on this network…</source>
        <translation>Mencari server antrean di jaringan ini…</translation>
    </message>
    <message>
        <location filename="../qml/SetupWindow.qml" line="23"/>
        <source>Two halls found: %1</source>
        <translation>Ditemukan dua lokasi MPP: %1</translation>
    </message>
    <message>
        <location filename="../qml/SetupWindow.qml" line="24"/>
        <source>%1 halls found: %2</source>
        <translation>Ditemukan %1 lokasi MPP: %2</translation>
    </message>
    <message>
        <location filename="../qml/SetupWindow.qml" line="25"/>
        <source>This box does not know which one it belongs to: provision it with its bundle.</source>
        <translation>Perangkat ini tidak tahu termasuk lokasi yang mana: pasang paket perangkatnya (bundle).</translation>
    </message>
    <message>
        <location filename="../qml/SetupWindow.qml" line="26"/>
        <source>This box belongs to %1.</source>
        <translation>Perangkat ini milik %1.</translation>
    </message>
    <message>
        <location filename="../qml/SetupWindow.qml" line="27"/>
        <source>Also on this network: %1</source>
        <translation>Juga ada di jaringan ini: %1</translation>
    </message>
    <message>
        <location filename="../qml/SetupWindow.qml" line="28"/>
        <source>Switch the queue server on, or check this box&apos;s network cable.</source>
        <translation>Nyalakan server antrean, atau periksa kabel jaringan perangkat ini.</translation>
    </message>
    <message>
        <location filename="../qml/SetupWindow.qml" line="29"/>
        <source>This box keeps looking and connects by itself as soon as it finds its server.</source>
        <translation>Perangkat ini terus mencari dan tersambung sendiri begitu servernya ditemukan.</translation>
    </message>
    <message>
        <location filename="../qml/SetupWindow.qml" line="30"/>
        <source>Device</source>
        <translation>Perangkat</translation>
    </message>
    <message>
        <location filename="../qml/SetupWindow.qml" line="31"/>
        <source>This box&apos;s addresses</source>
        <translation>Alamat perangkat ini</translation>
    </message>
    <message>
        <location filename="../qml/SetupWindow.qml" line="32"/>
        <source>Looking for</source>
        <translation>Lama mencari</translation>
    </message>
    <message>
        <location filename="../qml/SetupWindow.qml" line="33"/>
        <source>none: no network</source>
        <translation>tidak ada: tanpa jaringan</translation>
    </message>
    <message>
        <location filename="../qml/SetupWindow.qml" line="34"/>
        <source>Network discovery is not working here: %1</source>
        <translation>Pencarian jaringan tidak berfungsi di sini: %1</translation>
    </message>
</context>
</TS>
