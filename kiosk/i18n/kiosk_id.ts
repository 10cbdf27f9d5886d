<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="id" sourcelanguage="en">
  <context>
    <name>KioskScreen</name>
    <message>
      <location filename="../qml/KioskScreen.qml" line="29" />
      <source>Take a number</source>
      <translation>Ambil nomor antrean</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="30" />
      <source>Touch the button to start</source>
      <translation>Sentuh tombol untuk memulai</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="31" />
      <source>Welcome</source>
      <translation>Selamat datang</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="32" />
      <source>Choose an agency</source>
      <translation>Pilih instansi</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="33" />
      <source>Choose a service</source>
      <translation>Pilih layanan</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="34" />
      <source>%1 waiting</source>
      <translation>%1 menunggu</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="35" />
      <source>about %1 min</source>
      <translation>± %1 menit</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="36" />
      <source>no wait</source>
      <translation>tanpa antre</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="37" />
      <source>Closed now · hours today %1</source>
      <translation>Sedang tutup · jam layanan hari ini %1</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="38" />
      <source>Closed today</source>
      <translation>Tutup hari ini</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="39" />
      <source>Temporarily closed</source>
      <translation>Ditutup sementara</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="40" />
      <source>Quota full for today</source>
      <translation>Kuota hari ini habis</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="41" />
      <source>Not available</source>
      <translation>Tidak tersedia</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="42" />
      <source>Do you need priority service?</source>
      <translation>Perlu layanan prioritas?</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="43" />
      <source>Priority citizens are served first (UU 25/2009)</source>
      <translation>Warga prioritas dilayani lebih dahulu (UU 25/2009)</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="44" />
      <source>No, regular queue</source>
      <translation>Tidak, antrean biasa</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="45" />
      <source>Elderly (60+)</source>
      <translation>Lansia (60+)</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="46" />
      <source>Person with a disability</source>
      <translation>Penyandang disabilitas</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="47" />
      <source>Pregnant</source>
      <translation>Ibu hamil</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="48" />
      <source>With a small child</source>
      <translation>Membawa anak kecil</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="49" />
      <source>Printing your ticket…</source>
      <translation>Mencetak tiket Anda…</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="50" />
      <source>Your queue number</source>
      <translation>Nomor antrean Anda</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="51" />
      <source>Counter</source>
      <translation>Loket</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="52" />
      <source>People ahead of you</source>
      <translation>Antrean di depan Anda</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="53" />
      <source>Estimated wait</source>
      <translation>Perkiraan tunggu</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="54" />
      <source>Please take your ticket below</source>
      <translation>Silakan ambil tiket Anda di bawah</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="55" />
      <source>Printer problem: please photograph this number</source>
      <translation>Printer bermasalah, silakan foto nomor ini</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="56" />
      <source>Done</source>
      <translation>Selesai</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="57" />
      <source>Back</source>
      <translation>Kembali</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="58" />
      <source>Home</source>
      <translation>Beranda</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="59" />
      <source>This service is closed right now</source>
      <translation>Layanan ini sedang tutup</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="60" />
      <source>Today's quota for this service is full</source>
      <translation>Kuota layanan ini hari ini sudah habis</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="61" />
      <source>Server unreachable, please try again</source>
      <translation>Server tidak terjangkau, silakan coba lagi</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="62" />
      <source>Something went wrong, please try again</source>
      <translation>Terjadi gangguan, silakan coba lagi</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="63" />
      <source>No number was taken. Please choose again or ask an officer.</source>
      <translation>Belum ada nomor yang diambil. Silakan pilih lagi atau tanyakan petugas.</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="64" />
      <source>Server unreachable: reconnecting…</source>
      <translation>Server tidak terjangkau: menyambung kembali…</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="65" />
      <source>Printer out of paper: your number will be shown on the screen</source>
      <translation>Kertas printer habis: nomor Anda akan ditampilkan di layar</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="66" />
      <source>Printer problem: your number will be shown on the screen</source>
      <translation>Printer bermasalah: nomor Anda akan ditampilkan di layar</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="67" />
      <source>Connecting to the queue server…</source>
      <translation>Menghubungkan ke server antrean…</translation>
    </message>
  </context>
</TS>
