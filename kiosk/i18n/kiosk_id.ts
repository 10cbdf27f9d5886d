<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="id" sourcelanguage="en">
  <context>
    <name>KioskScreen</name>
    <message>
      <location filename="../qml/KioskScreen.qml" line="42" />
      <source>Take a number</source>
      <translation>Ambil nomor antrean</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="43" />
      <source>Touch the button to start</source>
      <translation>Sentuh tombol untuk memulai</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="44" />
      <source>Welcome</source>
      <translation>Selamat datang</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="45" />
      <source>Choose an agency</source>
      <translation>Pilih instansi</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="46" />
      <source>Choose a service</source>
      <translation>Pilih layanan</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="47" />
      <source>%1 waiting</source>
      <translation>%1 menunggu</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="48" />
      <source>about %1 min</source>
      <translation>± %1 menit</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="49" />
      <source>no wait</source>
      <translation>tanpa antre</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="50" />
      <source>Closed now · hours today %1</source>
      <translation>Sedang tutup · jam layanan hari ini %1</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="51" />
      <source>Closed today</source>
      <translation>Tutup hari ini</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="52" />
      <source>Temporarily closed</source>
      <translation>Ditutup sementara</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="53" />
      <source>Quota full for today</source>
      <translation>Kuota hari ini habis</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="54" />
      <source>Not available</source>
      <translation>Tidak tersedia</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="55" />
      <source>Do you need priority service?</source>
      <translation>Perlu layanan prioritas?</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="56" />
      <source>Priority citizens are served first (UU 25/2009)</source>
      <translation>Warga prioritas dilayani lebih dahulu (UU 25/2009)</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="57" />
      <source>No, regular queue</source>
      <translation>Tidak, antrean biasa</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="58" />
      <source>Elderly (60+)</source>
      <translation>Lansia (60+)</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="59" />
      <source>Person with a disability</source>
      <translation>Penyandang disabilitas</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="60" />
      <source>Pregnant</source>
      <translation>Ibu hamil</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="61" />
      <source>With a small child</source>
      <translation>Membawa anak kecil</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="62" />
      <source>Printing your ticket…</source>
      <translation>Mencetak tiket Anda…</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="63" />
      <source>Your queue number</source>
      <translation>Nomor antrean Anda</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="64" />
      <source>Counter</source>
      <translation>Loket</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="65" />
      <source>People ahead of you</source>
      <translation>Antrean di depan Anda</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="66" />
      <source>Estimated wait</source>
      <translation>Perkiraan tunggu</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="67" />
      <source>Please take your ticket below</source>
      <translation>Silakan ambil tiket Anda di bawah</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="68" />
      <source>Printer problem: please photograph this number</source>
      <translation>Printer bermasalah, silakan foto nomor ini</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="69" />
      <source>Print a copy</source>
      <translation>Cetak salinan</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="70" />
      <source>Printing the copy…</source>
      <translation>Mencetak salinan…</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="71" />
      <source>The printer still does not print: please photograph this number or ask an officer</source>
      <translation>Printer masih belum bisa mencetak: silakan foto nomor ini atau tanyakan petugas</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="72" />
      <source>A copy was printed: please take it below</source>
      <translation>Salinan sudah dicetak, silakan ambil di bawah</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="73" />
      <source>This kiosk is out of paper</source>
      <translation>Kertas di anjungan ini habis</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="74" />
      <source>This kiosk cannot print right now</source>
      <translation>Anjungan ini sedang tidak bisa mencetak</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="75" />
      <source>Please take your number at</source>
      <translation>Silakan ambil nomor antrean di</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="76" />
      <source>This kiosk cannot print right now: please use another kiosk</source>
      <translation>Anjungan ini sedang tidak bisa mencetak: silakan gunakan anjungan lain</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="77" />
      <source>Done</source>
      <translation>Selesai</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="78" />
      <source>Back</source>
      <translation>Kembali</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="79" />
      <source>Home</source>
      <translation>Beranda</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="80" />
      <source>This service is closed right now</source>
      <translation>Layanan ini sedang tutup</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="81" />
      <source>Today's quota for this service is full</source>
      <translation>Kuota layanan ini hari ini sudah habis</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="82" />
      <source>Server unreachable, please try again</source>
      <translation>Server tidak terjangkau, silakan coba lagi</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="83" />
      <source>Something went wrong, please try again</source>
      <translation>Terjadi gangguan, silakan coba lagi</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="84" />
      <source>No number was taken. Please choose again or ask an officer.</source>
      <translation>Belum ada nomor yang diambil. Silakan pilih lagi atau tanyakan petugas.</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="85" />
      <source>Server unreachable: reconnecting…</source>
      <translation>Server tidak terjangkau: menyambung kembali…</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="86" />
      <source>Printer out of paper: your number will be shown on the screen</source>
      <translation>Kertas printer habis: nomor Anda akan ditampilkan di layar</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="87" />
      <source>Printer problem: your number will be shown on the screen</source>
      <translation>Printer bermasalah: nomor Anda akan ditampilkan di layar</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="88" />
      <source>Connecting to the queue server…</source>
      <translation>Menghubungkan ke server antrean…</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="89" />
      <source>Have an appointment? Hold its QR code under the scanner</source>
      <translation>Punya janji temu? Dekatkan kode QR Anda ke pemindai</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="90" />
      <source>Appointment %1</source>
      <translation>Janji temu %1</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="91" />
      <source>This appointment code was not found</source>
      <translation>Kode janji temu ini tidak ditemukan</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="92" />
      <source>This appointment has already been checked in</source>
      <translation>Janji temu ini sudah digunakan</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="93" />
      <source>The time of this appointment has passed</source>
      <translation>Waktu janji temu ini sudah lewat</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="94" />
      <source>This appointment is not for today</source>
      <translation>Janji temu ini bukan untuk hari ini</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="95" />
      <source>This appointment is for another service mall</source>
      <translation>Janji temu ini untuk Mal Pelayanan Publik lain</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="96" />
      <source>The code could not be read, please scan again</source>
      <translation>Kode tidak terbaca, silakan pindai lagi</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="97" />
      <source>This code is not an appointment QR code</source>
      <translation>Kode ini bukan kode QR janji temu</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="98" />
      <source>This is a queue ticket, not an appointment QR code</source>
      <translation>Ini tiket antrean, bukan kode QR janji temu</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="99" />
      <source>This looks like an ID number (NIK), not an appointment code</source>
      <translation>Ini tampak seperti NIK, bukan kode janji temu</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="100" />
      <source>Please ask the information desk, or take a regular number.</source>
      <translation>Silakan tanyakan ke meja informasi, atau ambil nomor antrean biasa.</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="102" />
      <source>Choose a service, then your number is printed</source>
      <translation>Pilih layanan, lalu nomor Anda dicetak</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="103" />
      <source>Shows this agency's services</source>
      <translation>Menampilkan layanan instansi ini</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="104" />
      <source>Back to the previous screen</source>
      <translation>Kembali ke layar sebelumnya</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="105" />
      <source>Back to the welcome screen; no number is taken</source>
      <translation>Kembali ke layar awal; tidak ada nomor yang diambil</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="106" />
      <source>Back to the welcome screen</source>
      <translation>Kembali ke layar awal</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="107" />
      <source>Change the language of the screen</source>
      <translation>Ganti bahasa layar</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="109" />
      <source>Large text</source>
      <translation>Teks besar</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="110" />
      <source>Normal text</source>
      <translation>Teks biasa</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="111" />
      <source>Bigger text and buttons, high contrast, more time</source>
      <translation>Teks dan tombol lebih besar, kontras tinggi, waktu lebih lama</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="112" />
      <source>Previous</source>
      <translation>Sebelumnya</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="113" />
      <source>More</source>
      <translation>Berikutnya</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="114" />
      <source>The previous choices</source>
      <translation>Pilihan sebelumnya</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="115" />
      <source>More choices</source>
      <translation>Pilihan berikutnya</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="116" />
      <source>Page %1 of %2</source>
      <translation>Halaman %1 dari %2</translation>
    </message>
  </context>
  <context>
    <name>KioskVoice</name>
    <message>
      <location filename="../prompts.py" line="19" />
      <source>Voice guidance is on.</source>
      <translation>Panduan suara aktif.</translation>
    </message>
    <message>
      <location filename="../prompts.py" line="20" />
      <source>Press next or previous to hear the choices, choose to take the one you hear, back to go back, repeat to hear it again, help for these keys.</source>
      <translation>Tekan berikutnya atau sebelumnya untuk mendengar pilihan, pilih untuk mengambil pilihan yang Anda dengar, kembali untuk mundur, ulangi untuk mendengar lagi, bantuan untuk tombol-tombol ini.</translation>
    </message>
    <message>
      <location filename="../prompts.py" line="24" />
      <source>Choice %1 of %2: %3.</source>
      <translation>Pilihan %1 dari %2: %3.</translation>
    </message>
    <message>
      <location filename="../prompts.py" line="25" />
      <source>Welcome to %1.</source>
      <translation>Selamat datang di %1.</translation>
    </message>
    <message>
      <location filename="../prompts.py" line="26" />
      <source>Take a queue number</source>
      <translation>Ambil nomor antrean</translation>
    </message>
    <message>
      <location filename="../prompts.py" line="28" />
      <source>For English, press choose.</source>
      <translation>For English, press choose.</translation>
    </message>
    <message>
      <location filename="../prompts.py" line="29" />
      <source>For Bahasa Indonesia, press choose.</source>
      <translation>Untuk Bahasa Indonesia, tekan pilih.</translation>
    </message>
    <message>
      <location filename="../prompts.py" line="30" />
      <source>Choose an agency. %1 choices.</source>
      <translation>Pilih instansi. %1 pilihan.</translation>
    </message>
    <message>
      <location filename="../prompts.py" line="31" />
      <source>Choose a service of %1. %2 choices.</source>
      <translation>Pilih layanan %1. %2 pilihan.</translation>
    </message>
    <message>
      <location filename="../prompts.py" line="32" />
      <source>%1, %2 waiting, about %3 minutes</source>
      <translation>%1, %2 menunggu, sekitar %3 menit</translation>
    </message>
    <message>
      <location filename="../prompts.py" line="33" />
      <source>%1, no wait</source>
      <translation>%1, tanpa antre</translation>
    </message>
    <message>
      <location filename="../prompts.py" line="34" />
      <source>%1, closed now</source>
      <translation>%1, sedang tutup</translation>
    </message>
    <message>
      <location filename="../prompts.py" line="35" />
      <source>This service is closed now. Please choose another.</source>
      <translation>Layanan ini sedang tutup. Silakan pilih yang lain.</translation>
    </message>
    <message>
      <location filename="../prompts.py" line="37" />
      <source>%1. Do you need priority service? Priority citizens are served first.</source>
      <translation>%1. Perlu layanan prioritas? Warga prioritas dilayani lebih dahulu.</translation>
    </message>
    <message>
      <location filename="../prompts.py" line="39" />
      <source>Yes, person with a disability</source>
      <translation>Ya, penyandang disabilitas</translation>
    </message>
    <message>
      <location filename="../prompts.py" line="40" />
      <source>Yes, elderly, sixty or older</source>
      <translation>Ya, lansia, enam puluh tahun ke atas</translation>
    </message>
    <message>
      <location filename="../prompts.py" line="41" />
      <source>Yes, pregnant</source>
      <translation>Ya, ibu hamil</translation>
    </message>
    <message>
      <location filename="../prompts.py" line="42" />
      <source>Yes, with a small child</source>
      <translation>Ya, membawa anak kecil</translation>
    </message>
    <message>
      <location filename="../prompts.py" line="43" />
      <source>No, regular queue</source>
      <translation>Tidak, antrean biasa</translation>
    </message>
    <message>
      <location filename="../prompts.py" line="44" />
      <source>Printing your ticket, please wait.</source>
      <translation>Tiket Anda sedang dicetak, mohon tunggu.</translation>
    </message>
    <message>
      <location filename="../prompts.py" line="45" />
      <source>Your queue number is %1.</source>
      <translation>Nomor antrean Anda %1.</translation>
    </message>
    <message>
      <location filename="../prompts.py" line="46" />
      <source>People ahead of you: %1.</source>
      <translation>Antrean di depan Anda: %1 orang.</translation>
    </message>
    <message>
      <location filename="../prompts.py" line="47" />
      <source>Estimated wait: about %1 minutes.</source>
      <translation>Perkiraan tunggu: sekitar %1 menit.</translation>
    </message>
    <message>
      <location filename="../prompts.py" line="48" />
      <source>Estimated wait: you are next.</source>
      <translation>Perkiraan tunggu: Anda berikutnya.</translation>
    </message>
    <message>
      <location filename="../prompts.py" line="49" />
      <source>Please take your ticket from the slot below the screen. The officer will know to come to you.</source>
      <translation>Silakan ambil tiket Anda di celah di bawah layar. Petugas akan tahu untuk menghampiri Anda.</translation>
    </message>
    <message>
      <location filename="../prompts.py" line="52" />
      <source>The printer has a problem: your ticket was not printed. Please ask an officer; your number is on the screen.</source>
      <translation>Printer bermasalah: tiket Anda tidak tercetak. Silakan minta bantuan petugas; nomor Anda ada di layar.</translation>
    </message>
    <message>
      <location filename="../prompts.py" line="55" />
      <source>Done</source>
      <translation>Selesai</translation>
    </message>
    <message>
      <location filename="../prompts.py" line="56" />
      <source>Print a copy of your ticket</source>
      <translation>Cetak salinan tiket Anda</translation>
    </message>
    <message>
      <location filename="../prompts.py" line="57" />
      <source>No number was taken: %1.</source>
      <translation>Belum ada nomor yang diambil: %1.</translation>
    </message>
    <message>
      <location filename="../prompts.py" line="58" />
      <source>this service is closed now</source>
      <translation>layanan ini sedang tutup</translation>
    </message>
    <message>
      <location filename="../prompts.py" line="59" />
      <source>today's quota for this service is full</source>
      <translation>kuota layanan ini hari ini sudah habis</translation>
    </message>
    <message>
      <location filename="../prompts.py" line="60" />
      <source>the server cannot be reached</source>
      <translation>server tidak terjangkau</translation>
    </message>
    <message>
      <location filename="../prompts.py" line="61" />
      <source>something went wrong</source>
      <translation>terjadi gangguan</translation>
    </message>
    <message>
      <location filename="../prompts.py" line="62" />
      <source>Back, choose again</source>
      <translation>Kembali, pilih lagi</translation>
    </message>
    <message>
      <location filename="../prompts.py" line="63" />
      <source>This code cannot be used. Please ask the information desk, or take a regular number.</source>
      <translation>Kode ini tidak dapat digunakan. Silakan tanyakan ke meja informasi, atau ambil nomor antrean biasa.</translation>
    </message>
    <message>
      <location filename="../prompts.py" line="66" />
      <source>First choice.</source>
      <translation>Pilihan pertama.</translation>
    </message>
  </context>
</TS>
