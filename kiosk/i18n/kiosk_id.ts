<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="id" sourcelanguage="en">
  <context>
    <name>KioskScreen</name>
    <message>
      <location filename="../qml/KioskScreen.qml" line="41" />
      <source>Take a number</source>
      <translation>Ambil nomor antrean</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="42" />
      <source>Touch the button to start</source>
      <translation>Sentuh tombol untuk memulai</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="43" />
      <source>Welcome</source>
      <translation>Selamat datang</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="44" />
      <source>Choose an agency</source>
      <translation>Pilih instansi</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="45" />
      <source>Choose a service</source>
      <translation>Pilih layanan</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="46" />
      <source>%1 waiting</source>
      <translation>%1 menunggu</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="47" />
      <source>about %1 min</source>
      <translation>± %1 menit</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="48" />
      <source>no wait</source>
      <translation>tanpa antre</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="49" />
      <source>Closed now · hours today %1</source>
      <translation>Sedang tutup · jam layanan hari ini %1</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="50" />
      <source>Closed today</source>
      <translation>Tutup hari ini</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="51" />
      <source>Temporarily closed</source>
      <translation>Ditutup sementara</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="52" />
      <source>Quota full for today</source>
      <translation>Kuota hari ini habis</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="53" />
      <source>Not available</source>
      <translation>Tidak tersedia</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="54" />
      <source>Do you need priority service?</source>
      <translation>Perlu layanan prioritas?</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="55" />
      <source>Priority citizens are served first (UU 25/2009)</source>
      <translation>Warga prioritas dilayani lebih dahulu (UU 25/2009)</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="56" />
      <source>No, regular queue</source>
      <translation>Tidak, antrean biasa</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="57" />
      <source>Elderly (60+)</source>
      <translation>Lansia (60+)</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="58" />
      <source>Person with a disability</source>
      <translation>Penyandang disabilitas</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="59" />
      <source>Pregnant</source>
      <translation>Ibu hamil</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="60" />
      <source>With a small child</source>
      <translation>Membawa anak kecil</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="61" />
      <source>Printing your ticket…</source>
      <translation>Mencetak tiket Anda…</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="62" />
      <source>Your queue number</source>
      <translation>Nomor antrean Anda</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="63" />
      <source>Counter</source>
      <translation>Loket</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="64" />
      <source>People ahead of you</source>
      <translation>Antrean di depan Anda</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="65" />
      <source>Estimated wait</source>
      <translation>Perkiraan tunggu</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="66" />
      <source>Please take your ticket below</source>
      <translation>Silakan ambil tiket Anda di bawah</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="67" />
      <source>Printer problem: please photograph this number</source>
      <translation>Printer bermasalah, silakan foto nomor ini</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="68" />
      <source>Done</source>
      <translation>Selesai</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="69" />
      <source>Back</source>
      <translation>Kembali</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="70" />
      <source>Home</source>
      <translation>Beranda</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="71" />
      <source>This service is closed right now</source>
      <translation>Layanan ini sedang tutup</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="72" />
      <source>Today's quota for this service is full</source>
      <translation>Kuota layanan ini hari ini sudah habis</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="73" />
      <source>Server unreachable, please try again</source>
      <translation>Server tidak terjangkau, silakan coba lagi</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="74" />
      <source>Something went wrong, please try again</source>
      <translation>Terjadi gangguan, silakan coba lagi</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="75" />
      <source>No number was taken. Please choose again or ask an officer.</source>
      <translation>Belum ada nomor yang diambil. Silakan pilih lagi atau tanyakan petugas.</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="76" />
      <source>Server unreachable: reconnecting…</source>
      <translation>Server tidak terjangkau: menyambung kembali…</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="77" />
      <source>Printer out of paper: your number will be shown on the screen</source>
      <translation>Kertas printer habis: nomor Anda akan ditampilkan di layar</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="78" />
      <source>Printer problem: your number will be shown on the screen</source>
      <translation>Printer bermasalah: nomor Anda akan ditampilkan di layar</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="79" />
      <source>Connecting to the queue server…</source>
      <translation>Menghubungkan ke server antrean…</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="80" />
      <source>Have an appointment? Hold its QR code under the scanner</source>
      <translation>Punya janji temu? Dekatkan kode QR Anda ke pemindai</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="81" />
      <source>Appointment %1</source>
      <translation>Janji temu %1</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="82" />
      <source>This appointment code was not found</source>
      <translation>Kode janji temu ini tidak ditemukan</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="83" />
      <source>This appointment has already been checked in</source>
      <translation>Janji temu ini sudah digunakan</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="84" />
      <source>The time of this appointment has passed</source>
      <translation>Waktu janji temu ini sudah lewat</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="85" />
      <source>This appointment is not for today</source>
      <translation>Janji temu ini bukan untuk hari ini</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="86" />
      <source>This appointment is for another service mall</source>
      <translation>Janji temu ini untuk Mal Pelayanan Publik lain</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="87" />
      <source>The code could not be read, please scan again</source>
      <translation>Kode tidak terbaca, silakan pindai lagi</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="88" />
      <source>This code is not an appointment QR code</source>
      <translation>Kode ini bukan kode QR janji temu</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="89" />
      <source>This is a queue ticket, not an appointment QR code</source>
      <translation>Ini tiket antrean, bukan kode QR janji temu</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="90" />
      <source>This looks like an ID number (NIK), not an appointment code</source>
      <translation>Ini tampak seperti NIK, bukan kode janji temu</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="91" />
      <source>Please ask the information desk, or take a regular number.</source>
      <translation>Silakan tanyakan ke meja informasi, atau ambil nomor antrean biasa.</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="93" />
      <source>Choose a service, then your number is printed</source>
      <translation>Pilih layanan, lalu nomor Anda dicetak</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="94" />
      <source>Shows this agency's services</source>
      <translation>Menampilkan layanan instansi ini</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="95" />
      <source>Back to the previous screen</source>
      <translation>Kembali ke layar sebelumnya</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="96" />
      <source>Back to the welcome screen; no number is taken</source>
      <translation>Kembali ke layar awal; tidak ada nomor yang diambil</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="97" />
      <source>Back to the welcome screen</source>
      <translation>Kembali ke layar awal</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="98" />
      <source>Change the language of the screen</source>
      <translation>Ganti bahasa layar</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="100" />
      <source>Large text</source>
      <translation>Teks besar</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="101" />
      <source>Normal text</source>
      <translation>Teks biasa</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="102" />
      <source>Bigger text and buttons, high contrast, more time</source>
      <translation>Teks dan tombol lebih besar, kontras tinggi, waktu lebih lama</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="103" />
      <source>Previous</source>
      <translation>Sebelumnya</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="104" />
      <source>More</source>
      <translation>Berikutnya</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="105" />
      <source>The previous choices</source>
      <translation>Pilihan sebelumnya</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="106" />
      <source>More choices</source>
      <translation>Pilihan berikutnya</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="107" />
      <source>Page %1 of %2</source>
      <translation>Halaman %1 dari %2</translation>
    </message>
  </context>
</TS>
