<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="id" sourcelanguage="en">
<context>
    <name>CounterScreen</name>
    <message>
        <location filename="../counter/qml/CounterScreen.qml" line="21"/>
        <source>Connecting…</source>
        <translation>Menghubungkan…</translation>
    </message>
    <message>
        <location filename="../counter/qml/CounterScreen.qml" line="22"/>
        <source>Waiting for the next number</source>
        <translation>Menunggu nomor berikutnya</translation>
    </message>
    <message>
        <location filename="../counter/qml/CounterScreen.qml" line="23"/>
        <source>Please come to this counter</source>
        <translation>Silakan menuju loket ini</translation>
    </message>
    <message>
        <location filename="../counter/qml/CounterScreen.qml" line="24"/>
        <source>Now serving</source>
        <translation>Sedang dilayani</translation>
    </message>
    <message>
        <location filename="../counter/qml/CounterScreen.qml" line="25"/>
        <source>Counter closed</source>
        <translation>Loket tutup</translation>
    </message>
    <message>
        <location filename="../counter/qml/CounterScreen.qml" line="26"/>
        <source>Counter paused</source>
        <translation>Loket dijeda</translation>
    </message>
    <message>
        <location filename="../counter/qml/CounterScreen.qml" line="27"/>
        <source>Break</source>
        <translation>Istirahat</translation>
    </message>
    <message>
        <location filename="../counter/qml/CounterScreen.qml" line="28"/>
        <source>Prayer break</source>
        <translation>Istirahat salat</translation>
    </message>
    <message>
        <location filename="../counter/qml/CounterScreen.qml" line="29"/>
        <source>System problem</source>
        <translation>Gangguan sistem</translation>
    </message>
    <message>
        <location filename="../counter/qml/CounterScreen.qml" line="30"/>
        <source>Temporarily unavailable</source>
        <translation>Sementara tidak melayani</translation>
    </message>
    <message>
        <location filename="../counter/qml/CounterScreen.qml" line="31"/>
        <source>Server offline</source>
        <translation>Server tidak terhubung</translation>
    </message>
    <message>
        <location filename="../counter/qml/CounterScreen.qml" line="32"/>
        <source>No network</source>
        <translation>Jaringan terputus</translation>
    </message>
    <message>
        <location filename="../counter/qml/CounterScreen.qml" line="33"/>
        <source>Please go to another counter</source>
        <translation>Silakan menuju loket lain</translation>
    </message>
    <message>
        <location filename="../counter/qml/CounterScreen.qml" line="34"/>
        <source>Service resumes shortly</source>
        <translation>Layanan segera dilanjutkan</translation>
    </message>
    <message>
        <location filename="../counter/qml/CounterScreen.qml" line="35"/>
        <source>The officer will come to you</source>
        <translation>Petugas akan menghampiri Anda</translation>
    </message>
    <message>
        <location filename="../counter/qml/CounterScreen.qml" line="36"/>
        <source>Priority service</source>
        <translation>Layanan prioritas</translation>
    </message>
</context>
</TS>
