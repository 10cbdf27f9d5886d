<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="id" sourcelanguage="en">
<context>
    <name>ConsoleScreen</name>
    <message>
        <location filename="../console/qml/ConsoleScreen.qml" line="23"/>
        <source>Counter sign-in</source>
        <translation>Masuk petugas loket</translation>
    </message>
    <message>
        <location filename="../console/qml/ConsoleScreen.qml" line="24"/>
        <source>Officer code</source>
        <translation>Kode petugas</translation>
    </message>
    <message>
        <location filename="../console/qml/ConsoleScreen.qml" line="25"/>
        <source>PIN</source>
        <translation>PIN</translation>
    </message>
    <message>
        <location filename="../console/qml/ConsoleScreen.qml" line="26"/>
        <source>Sign in</source>
        <translation>Masuk</translation>
    </message>
    <message>
        <location filename="../console/qml/ConsoleScreen.qml" line="27"/>
        <source>Choose your counter</source>
        <translation>Pilih loket Anda</translation>
    </message>
    <message>
        <location filename="../console/qml/ConsoleScreen.qml" line="28"/>
        <source>Sign out</source>
        <translation>Keluar</translation>
    </message>
    <message>
        <location filename="../console/qml/ConsoleScreen.qml" line="29"/>
        <source>Clear</source>
        <translation>Hapus</translation>
    </message>
    <message>
        <location filename="../console/qml/ConsoleScreen.qml" line="30"/>
        <source>Call next</source>
        <translation>Panggil berikutnya</translation>
    </message>
    <message>
        <location filename="../console/qml/ConsoleScreen.qml" line="31"/>
        <source>Recall</source>
        <translation>Panggil ulang</translation>
    </message>
    <message>
        <location filename="../console/qml/ConsoleScreen.qml" line="32"/>
        <source>Start service</source>
        <translation>Mulai layani</translation>
    </message>
    <message>
        <location filename="../console/qml/ConsoleScreen.qml" line="33"/>
        <source>Complete</source>
        <translation>Selesai</translation>
    </message>
    <message>
        <location filename="../console/qml/ConsoleScreen.qml" line="34"/>
        <location filename="../console/qml/ConsoleScreen.qml" line="61"/>
        <source>No-show</source>
        <translation>Tidak hadir</translation>
    </message>
    <message>
        <location filename="../console/qml/ConsoleScreen.qml" line="35"/>
        <source>Transfer</source>
        <translation>Alihkan</translation>
    </message>
    <message>
        <location filename="../console/qml/ConsoleScreen.qml" line="36"/>
        <source>Pause</source>
        <translation>Jeda</translation>
    </message>
    <message>
        <location filename="../console/qml/ConsoleScreen.qml" line="37"/>
        <source>Resume</source>
        <translation>Lanjutkan</translation>
    </message>
    <message>
        <location filename="../console/qml/ConsoleScreen.qml" line="38"/>
        <source>Open counter</source>
        <translation>Buka loket</translation>
    </message>
    <message>
        <location filename="../console/qml/ConsoleScreen.qml" line="39"/>
        <source>Close counter</source>
        <translation>Tutup loket</translation>
    </message>
    <message>
        <location filename="../console/qml/ConsoleScreen.qml" line="40"/>
        <source>Cancel</source>
        <translation>Batal</translation>
    </message>
    <message>
        <location filename="../console/qml/ConsoleScreen.qml" line="41"/>
        <source>To the front of the queue</source>
        <translation>Ke depan antrean</translation>
    </message>
    <message>
        <location filename="../console/qml/ConsoleScreen.qml" line="42"/>
        <source>Transfer %1 to which service?</source>
        <translation>Alihkan %1 ke layanan apa?</translation>
    </message>
    <message>
        <location filename="../console/qml/ConsoleScreen.qml" line="43"/>
        <source>Why are you pausing?</source>
        <translation>Alasan jeda?</translation>
    </message>
    <message>
        <location filename="../console/qml/ConsoleScreen.qml" line="44"/>
        <source>Break</source>
        <translation>Istirahat</translation>
    </message>
    <message>
        <location filename="../console/qml/ConsoleScreen.qml" line="45"/>
        <source>Prayer break</source>
        <translation>Istirahat salat</translation>
    </message>
    <message>
        <location filename="../console/qml/ConsoleScreen.qml" line="46"/>
        <source>System problem</source>
        <translation>Gangguan sistem</translation>
    </message>
    <message>
        <location filename="../console/qml/ConsoleScreen.qml" line="47"/>
        <source>Other</source>
        <translation>Lainnya</translation>
    </message>
    <message>
        <location filename="../console/qml/ConsoleScreen.qml" line="48"/>
        <source>Current ticket</source>
        <translation>Nomor saat ini</translation>
    </message>
    <message>
        <location filename="../console/qml/ConsoleScreen.qml" line="49"/>
        <source>No ticket at the counter</source>
        <translation>Belum ada nomor di loket</translation>
    </message>
    <message>
        <location filename="../console/qml/ConsoleScreen.qml" line="50"/>
        <source>Called, waiting for the citizen</source>
        <translation>Dipanggil, menunggu warga datang</translation>
    </message>
    <message>
        <location filename="../console/qml/ConsoleScreen.qml" line="51"/>
        <source>Being served</source>
        <translation>Sedang dilayani</translation>
    </message>
    <message>
        <location filename="../console/qml/ConsoleScreen.qml" line="52"/>
        <source>Counter open</source>
        <translation>Loket buka</translation>
    </message>
    <message>
        <location filename="../console/qml/ConsoleScreen.qml" line="53"/>
        <source>Counter paused: %1</source>
        <translation>Loket dijeda: %1</translation>
    </message>
    <message>
        <location filename="../console/qml/ConsoleScreen.qml" line="54"/>
        <source>Counter closed</source>
        <translation>Loket tutup</translation>
    </message>
    <message>
        <location filename="../console/qml/ConsoleScreen.qml" line="55"/>
        <source>Loading…</source>
        <translation>Memuat…</translation>
    </message>
    <message>
        <location filename="../console/qml/ConsoleScreen.qml" line="56"/>
        <source>Waiting</source>
        <translation>Menunggu</translation>
    </message>
    <message>
        <location filename="../console/qml/ConsoleScreen.qml" line="57"/>
        <source>%1 waiting</source>
        <translation>%1 menunggu</translation>
    </message>
    <message>
        <location filename="../console/qml/ConsoleScreen.qml" line="58"/>
        <source>My figures today</source>
        <translation>Kinerja saya hari ini</translation>
    </message>
    <message>
        <location filename="../console/qml/ConsoleScreen.qml" line="59"/>
        <source>Called</source>
        <translation>Dipanggil</translation>
    </message>
    <message>
        <location filename="../console/qml/ConsoleScreen.qml" line="60"/>
        <source>Served</source>
        <translation>Dilayani</translation>
    </message>
    <message>
        <location filename="../console/qml/ConsoleScreen.qml" line="62"/>
        <source>Transferred</source>
        <translation>Dialihkan</translation>
    </message>
    <message>
        <location filename="../console/qml/ConsoleScreen.qml" line="63"/>
        <source>Average service</source>
        <translation>Rata-rata layanan</translation>
    </message>
    <message>
        <location filename="../console/qml/ConsoleScreen.qml" line="64"/>
        <source>Connected</source>
        <translation>Terhubung</translation>
    </message>
    <message>
        <location filename="../console/qml/ConsoleScreen.qml" line="65"/>
        <source>Connecting…</source>
        <translation>Menghubungkan…</translation>
    </message>
    <message>
        <location filename="../console/qml/ConsoleScreen.qml" line="66"/>
        <source>Server offline</source>
        <translation>Server tidak terhubung</translation>
    </message>
    <message>
        <location filename="../console/qml/ConsoleScreen.qml" line="67"/>
        <source>No network</source>
        <translation>Jaringan terputus</translation>
    </message>
    <message>
        <location filename="../console/qml/ConsoleScreen.qml" line="68"/>
        <source>Nobody is waiting</source>
        <translation>Tidak ada yang menunggu</translation>
    </message>
    <message>
        <location filename="../console/qml/ConsoleScreen.qml" line="69"/>
        <source>Wrong officer code or PIN</source>
        <translation>Kode petugas atau PIN salah</translation>
    </message>
    <message>
        <location filename="../console/qml/ConsoleScreen.qml" line="70"/>
        <source>Too many wrong PINs: try again in %1 seconds</source>
        <translation>Terlalu banyak PIN salah: coba lagi dalam %1 detik</translation>
    </message>
    <message>
        <location filename="../console/qml/ConsoleScreen.qml" line="71"/>
        <source>Server unreachable: check the network and try again</source>
        <translation>Server tidak dapat dihubungi: periksa jaringan lalu coba lagi</translation>
    </message>
    <message>
        <location filename="../console/qml/ConsoleScreen.qml" line="72"/>
        <source>Please sign in again</source>
        <translation>Silakan masuk kembali</translation>
    </message>
    <message>
        <location filename="../console/qml/ConsoleScreen.qml" line="73"/>
        <source>This counter is not assigned to this device</source>
        <translation>Loket ini tidak terdaftar untuk perangkat ini</translation>
    </message>
    <message>
        <location filename="../console/qml/ConsoleScreen.qml" line="74"/>
        <source>Finish the current ticket first</source>
        <translation>Selesaikan nomor yang sedang dilayani dulu</translation>
    </message>
    <message>
        <location filename="../console/qml/ConsoleScreen.qml" line="75"/>
        <source>The counter is paused: resume it first</source>
        <translation>Loket sedang dijeda: lanjutkan dulu</translation>
    </message>
    <message>
        <location filename="../console/qml/ConsoleScreen.qml" line="76"/>
        <source>The counter is closed: open it first</source>
        <translation>Loket tutup: buka dulu</translation>
    </message>
    <message>
        <location filename="../console/qml/ConsoleScreen.qml" line="77"/>
        <source>There is no ticket at this counter</source>
        <translation>Tidak ada nomor di loket ini</translation>
    </message>
    <message>
        <location filename="../console/qml/ConsoleScreen.qml" line="78"/>
        <source>Not possible for this ticket now</source>
        <translation>Tidak dapat dilakukan untuk nomor ini sekarang</translation>
    </message>
    <message>
        <location filename="../console/qml/ConsoleScreen.qml" line="79"/>
        <source>Unknown service</source>
        <translation>Layanan tidak dikenal</translation>
    </message>
    <message>
        <location filename="../console/qml/ConsoleScreen.qml" line="80"/>
        <source>Unknown counter</source>
        <translation>Loket tidak dikenal</translation>
    </message>
    <message>
        <location filename="../console/qml/ConsoleScreen.qml" line="81"/>
        <source>That service is closed</source>
        <translation>Layanan itu sedang tutup</translation>
    </message>
    <message>
        <location filename="../console/qml/ConsoleScreen.qml" line="82"/>
        <source>The server could not save: try again</source>
        <translation>Server gagal menyimpan: coba lagi</translation>
    </message>
    <message>
        <location filename="../console/qml/ConsoleScreen.qml" line="83"/>
        <source>The server refused the request (%1)</source>
        <translation>Permintaan ditolak server (%1)</translation>
    </message>
    <message>
        <location filename="../console/qml/ConsoleScreen.qml" line="84"/>
        <source>Came back (%1)</source>
        <translation>Kembali (%1)</translation>
    </message>
    <message>
        <location filename="../console/qml/ConsoleScreen.qml" line="85"/>
        <source>Which citizen came back?</source>
        <translation>Warga mana yang kembali?</translation>
    </message>
    <message>
        <location filename="../console/qml/ConsoleScreen.qml" line="86"/>
        <source>A no-show who comes back in time goes to the front of the queue with the same number</source>
        <translation>Warga yang tidak hadir lalu kembali tepat waktu masuk ke antrean paling depan dengan nomor yang sama</translation>
    </message>
    <message>
        <location filename="../console/qml/ConsoleScreen.qml" line="87"/>
        <source>%1 min left</source>
        <translation>sisa %1 menit</translation>
    </message>
    <message>
        <location filename="../console/qml/ConsoleScreen.qml" line="88"/>
        <source>%1 is back at the front of the queue</source>
        <translation>%1 kembali ke antrean paling depan</translation>
    </message>
    <message>
        <location filename="../console/qml/ConsoleScreen.qml" line="89"/>
        <source>Too late to come back (after %1 min): the citizen takes a new number</source>
        <translation>Terlambat kembali (lewat %1 menit): warga mengambil nomor baru</translation>
    </message>
    <message>
        <location filename="../console/qml/ConsoleScreen.qml" line="91"/>
        <source>Voice guidance: go to the citizen</source>
        <translation>Panduan suara: hampiri warga</translation>
    </message>
    <message>
        <location filename="../console/qml/ConsoleScreen.qml" line="92"/>
        <source>Priority: elderly (60+)</source>
        <translation>Prioritas: lansia (60+)</translation>
    </message>
    <message>
        <location filename="../console/qml/ConsoleScreen.qml" line="93"/>
        <source>Priority: person with a disability</source>
        <translation>Prioritas: penyandang disabilitas</translation>
    </message>
    <message>
        <location filename="../console/qml/ConsoleScreen.qml" line="94"/>
        <source>Priority: pregnant</source>
        <translation>Prioritas: ibu hamil</translation>
    </message>
    <message>
        <location filename="../console/qml/ConsoleScreen.qml" line="95"/>
        <source>Priority: with a small child</source>
        <translation>Prioritas: membawa anak kecil</translation>
    </message>
    <message>
        <location filename="../console/qml/ConsoleScreen.qml" line="96"/>
        <source>Priority</source>
        <translation>Prioritas</translation>
    </message>
</context>
</TS>
