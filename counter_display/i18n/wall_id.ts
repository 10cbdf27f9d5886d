<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="id" sourcelanguage="en">
<context>
    <name>WallScreen</name>
    <message>
        <location filename="../wall/qml/WallScreen.qml" line="26"/>
        <source>Queue number</source>
        <translation>Nomor antrian</translation>
    </message>
    <message>
        <location filename="../wall/qml/WallScreen.qml" line="27"/>
        <source>Please go to</source>
        <translation>Silakan menuju</translation>
    </message>
    <message>
        <location filename="../wall/qml/WallScreen.qml" line="28"/>
        <source>Counter %1</source>
        <translation>Loket %1</translation>
    </message>
    <message>
        <location filename="../wall/qml/WallScreen.qml" line="29"/>
        <source>Calling again</source>
        <translation>Panggilan ulang</translation>
    </message>
    <message>
        <location filename="../wall/qml/WallScreen.qml" line="30"/>
        <source>No calls yet</source>
        <translation>Belum ada panggilan</translation>
    </message>
    <message>
        <location filename="../wall/qml/WallScreen.qml" line="31"/>
        <source>Latest calls</source>
        <translation>Panggilan terakhir</translation>
    </message>
    <message>
        <location filename="../wall/qml/WallScreen.qml" line="32"/>
        <source>Now serving</source>
        <translation>Sedang dilayani</translation>
    </message>
    <message>
        <location filename="../wall/qml/WallScreen.qml" line="33"/>
        <source>Waiting</source>
        <translation>Menunggu</translation>
    </message>
    <message>
        <location filename="../wall/qml/WallScreen.qml" line="34"/>
        <source>Closed</source>
        <translation>Tutup</translation>
    </message>
    <message>
        <location filename="../wall/qml/WallScreen.qml" line="35"/>
        <source>Break</source>
        <translation>Istirahat</translation>
    </message>
    <message>
        <location filename="../wall/qml/WallScreen.qml" line="36"/>
        <source>Open</source>
        <translation>Buka</translation>
    </message>
    <message>
        <location filename="../wall/qml/WallScreen.qml" line="37"/>
        <source>Server offline</source>
        <translation>Server tidak terhubung</translation>
    </message>
    <message>
        <location filename="../wall/qml/WallScreen.qml" line="38"/>
        <source>No network</source>
        <translation>Jaringan terputus</translation>
    </message>
    <message>
        <location filename="../wall/qml/WallScreen.qml" line="40"/>
        <source>Monday</source>
        <translation>Senin</translation>
    </message>
    <message>
        <location filename="../wall/qml/WallScreen.qml" line="40"/>
        <source>Tuesday</source>
        <translation>Selasa</translation>
    </message>
    <message>
        <location filename="../wall/qml/WallScreen.qml" line="41"/>
        <source>Wednesday</source>
        <translation>Rabu</translation>
    </message>
    <message>
        <location filename="../wall/qml/WallScreen.qml" line="41"/>
        <source>Thursday</source>
        <translation>Kamis</translation>
    </message>
    <message>
        <location filename="../wall/qml/WallScreen.qml" line="41"/>
        <source>Friday</source>
        <translation>Jumat</translation>
    </message>
    <message>
        <location filename="../wall/qml/WallScreen.qml" line="42"/>
        <source>Saturday</source>
        <translation>Sabtu</translation>
    </message>
    <message>
        <location filename="../wall/qml/WallScreen.qml" line="42"/>
        <source>Sunday</source>
        <translation>Minggu</translation>
    </message>
    <message>
        <location filename="../wall/qml/WallScreen.qml" line="43"/>
        <source>January</source>
        <translation>Januari</translation>
    </message>
    <message>
        <location filename="../wall/qml/WallScreen.qml" line="43"/>
        <source>February</source>
        <translation>Februari</translation>
    </message>
    <message>
        <location filename="../wall/qml/WallScreen.qml" line="44"/>
        <source>March</source>
        <translation>Maret</translation>
    </message>
    <message>
        <location filename="../wall/qml/WallScreen.qml" line="44"/>
        <source>April</source>
        <translation>April</translation>
    </message>
    <message>
        <location filename="../wall/qml/WallScreen.qml" line="44"/>
        <source>May</source>
        <translation>Mei</translation>
    </message>
    <message>
        <location filename="../wall/qml/WallScreen.qml" line="44"/>
        <source>June</source>
        <translation>Juni</translation>
    </message>
    <message>
        <location filename="../wall/qml/WallScreen.qml" line="45"/>
        <source>July</source>
        <translation>Juli</translation>
    </message>
    <message>
        <location filename="../wall/qml/WallScreen.qml" line="45"/>
        <source>August</source>
        <translation>Agustus</translation>
    </message>
    <message>
        <location filename="../wall/qml/WallScreen.qml" line="45"/>
        <source>September</source>
        <translation>September</translation>
    </message>
    <message>
        <location filename="../wall/qml/WallScreen.qml" line="46"/>
        <source>October</source>
        <translation>Oktober</translation>
    </message>
    <message>
        <location filename="../wall/qml/WallScreen.qml" line="46"/>
        <source>November</source>
        <translation>November</translation>
    </message>
    <message>
        <location filename="../wall/qml/WallScreen.qml" line="46"/>
        <source>December</source>
        <translation>Desember</translation>
    </message>
</context>
</TS>
