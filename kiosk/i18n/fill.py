"""Fill kiosk_id.ts / kiosk_en.ts from the table below after `pyside6-lupdate`
(see README.md here). English translations are the source text; Indonesian from ID."""

from __future__ import annotations

import sys
import xml.etree.ElementTree as ET
from pathlib import Path

HERE = Path(__file__).resolve().parent

ID = {
    "Take a number": "Ambil nomor antrean",
    "Touch the button to start": "Sentuh tombol untuk memulai",
    "Welcome": "Selamat datang",
    "Choose an agency": "Pilih instansi",
    "Choose a service": "Pilih layanan",
    "%1 waiting": "%1 menunggu",
    "about %1 min": "± %1 menit",
    "no wait": "tanpa antre",
    "Closed now · hours today %1": "Sedang tutup · jam layanan hari ini %1",
    "Closed today": "Tutup hari ini",
    "Temporarily closed": "Ditutup sementara",
    "Quota full for today": "Kuota hari ini habis",
    "Not available": "Tidak tersedia",
    "Do you need priority service?": "Perlu layanan prioritas?",
    "Priority citizens are served first (UU 25/2009)":
        "Warga prioritas dilayani lebih dahulu (UU 25/2009)",
    "No, regular queue": "Tidak, antrean biasa",
    "Elderly (60+)": "Lansia (60+)",
    "Person with a disability": "Penyandang disabilitas",
    "Pregnant": "Ibu hamil",
    "With a small child": "Membawa anak kecil",
    "Printing your ticket…": "Mencetak tiket Anda…",
    "Your queue number": "Nomor antrean Anda",
    "Counter": "Loket",
    "People ahead of you": "Antrean di depan Anda",
    "Estimated wait": "Perkiraan tunggu",
    "Please take your ticket below": "Silakan ambil tiket Anda di bawah",
    "Printer problem: please photograph this number":
        "Printer bermasalah, silakan foto nomor ini",
    "Print a copy": "Cetak salinan",
    "Printing the copy…": "Mencetak salinan…",
    "The printer still does not print: please photograph this number or ask an officer":
        "Printer masih belum bisa mencetak: silakan foto nomor ini atau tanyakan petugas",
    "A copy was printed: please take it below": "Salinan sudah dicetak, silakan ambil di bawah",
    "This kiosk is out of paper": "Kertas di anjungan ini habis",
    "This kiosk cannot print right now": "Anjungan ini sedang tidak bisa mencetak",
    "Please take your number at": "Silakan ambil nomor antrean di",
    "This kiosk cannot print right now: please use another kiosk":
        "Anjungan ini sedang tidak bisa mencetak: silakan gunakan anjungan lain",
    "Done": "Selesai",
    "Back": "Kembali",
    "Home": "Beranda",
    "This service is closed right now": "Layanan ini sedang tutup",
    "Today's quota for this service is full": "Kuota layanan ini hari ini sudah habis",
    "Server unreachable, please try again": "Server tidak terjangkau, silakan coba lagi",
    "Something went wrong, please try again": "Terjadi gangguan, silakan coba lagi",
    "No number was taken. Please choose again or ask an officer.":
        "Belum ada nomor yang diambil. Silakan pilih lagi atau tanyakan petugas.",
    "Server unreachable: reconnecting…": "Server tidak terjangkau: menyambung kembali…",
    "Printer out of paper: your number will be shown on the screen":
        "Kertas printer habis: nomor Anda akan ditampilkan di layar",
    "Printer problem: your number will be shown on the screen":
        "Printer bermasalah: nomor Anda akan ditampilkan di layar",
    "Connecting to the queue server…": "Menghubungkan ke server antrean…",
    "Have an appointment? Hold its QR code under the scanner":
        "Punya janji temu? Dekatkan kode QR Anda ke pemindai",
    "Appointment %1": "Janji temu %1",
    "This appointment code was not found": "Kode janji temu ini tidak ditemukan",
    "This appointment has already been checked in": "Janji temu ini sudah digunakan",
    "The time of this appointment has passed": "Waktu janji temu ini sudah lewat",
    "This appointment is not for today": "Janji temu ini bukan untuk hari ini",
    "This appointment is for another service mall":
        "Janji temu ini untuk Mal Pelayanan Publik lain",
    "The code could not be read, please scan again": "Kode tidak terbaca, silakan pindai lagi",
    "This code is not an appointment QR code": "Kode ini bukan kode QR janji temu",
    "This looks like an ID number (NIK), not an appointment code":
        "Ini tampak seperti NIK, bukan kode janji temu",
    "This is a queue ticket, not an appointment QR code":
        "Ini tiket antrean, bukan kode QR janji temu",
    "Please ask the information desk, or take a regular number.":
        "Silakan tanyakan ke meja informasi, atau ambil nomor antrean biasa.",
    "Choose a service, then your number is printed": "Pilih layanan, lalu nomor Anda dicetak",
    "Shows this agency's services": "Menampilkan layanan instansi ini",
    "Back to the previous screen": "Kembali ke layar sebelumnya",
    "Back to the welcome screen; no number is taken":
        "Kembali ke layar awal; tidak ada nomor yang diambil",
    "Back to the welcome screen": "Kembali ke layar awal",
    "Change the language of the screen": "Ganti bahasa layar",
    "Large text": "Teks besar",
    "Normal text": "Teks biasa",
    "Bigger text and buttons, high contrast, more time":
        "Teks dan tombol lebih besar, kontras tinggi, waktu lebih lama",
    "Previous": "Sebelumnya",
    "More": "Berikutnya",
    "The previous choices": "Pilihan sebelumnya",
    "More choices": "Pilihan berikutnya",
    "Page %1 of %2": "Halaman %1 dari %2",
    # voice guidance (kiosk/prompts.py, context KioskVoice)
    "Voice guidance is on.": "Panduan suara aktif.",
    "Press next or previous to hear the choices, choose to take the one you hear, back to "
    "go back, repeat to hear it again, help for these keys.":
        "Tekan berikutnya atau sebelumnya untuk mendengar pilihan, pilih untuk mengambil "
        "pilihan yang Anda dengar, kembali untuk mundur, ulangi untuk mendengar lagi, "
        "bantuan untuk tombol-tombol ini.",
    "Choice %1 of %2: %3.": "Pilihan %1 dari %2: %3.",
    "Welcome to %1.": "Selamat datang di %1.",
    "Take a queue number": "Ambil nomor antrean",
    "For English, press choose.": "For English, press choose.",  # said in English
    "For Bahasa Indonesia, press choose.": "Untuk Bahasa Indonesia, tekan pilih.",
    "Choose an agency. %1 choices.": "Pilih instansi. %1 pilihan.",
    "Choose a service of %1. %2 choices.": "Pilih layanan %1. %2 pilihan.",
    "%1, %2 waiting, about %3 minutes": "%1, %2 menunggu, sekitar %3 menit",
    "%1, no wait": "%1, tanpa antre",
    "%1, closed now": "%1, sedang tutup",
    "This service is closed now. Please choose another.":
        "Layanan ini sedang tutup. Silakan pilih yang lain.",
    "%1. Do you need priority service? Priority citizens are served first.":
        "%1. Perlu layanan prioritas? Warga prioritas dilayani lebih dahulu.",
    "Yes, person with a disability": "Ya, penyandang disabilitas",
    "Yes, elderly, sixty or older": "Ya, lansia, enam puluh tahun ke atas",
    "Yes, pregnant": "Ya, ibu hamil",
    "Yes, with a small child": "Ya, membawa anak kecil",
    "Printing your ticket, please wait.": "Tiket Anda sedang dicetak, mohon tunggu.",
    "Your queue number is %1.": "Nomor antrean Anda %1.",
    "People ahead of you: %1.": "Antrean di depan Anda: %1 orang.",
    "Estimated wait: about %1 minutes.": "Perkiraan tunggu: sekitar %1 menit.",
    "Estimated wait: you are next.": "Perkiraan tunggu: Anda berikutnya.",
    "Please take your ticket from the slot below the screen. The officer will know to "
    "come to you.":
        "Silakan ambil tiket Anda di celah di bawah layar. Petugas akan tahu untuk "
        "menghampiri Anda.",
    "The printer has a problem: your ticket was not printed. Please ask an officer; your "
    "number is on the screen.":
        "Printer bermasalah: tiket Anda tidak tercetak. Silakan minta bantuan petugas; "
        "nomor Anda ada di layar.",
    "No number was taken: %1.": "Belum ada nomor yang diambil: %1.",
    "this service is closed now": "layanan ini sedang tutup",
    "today's quota for this service is full": "kuota layanan ini hari ini sudah habis",
    "the server cannot be reached": "server tidak terjangkau",
    "something went wrong": "terjadi gangguan",
    "Back, choose again": "Kembali, pilih lagi",
    "This code cannot be used. Please ask the information desk, or take a regular number.":
        "Kode ini tidak dapat digunakan. Silakan tanyakan ke meja informasi, atau ambil "
        "nomor antrean biasa.",
    "First choice.": "Pilihan pertama.",
    "Print a copy of your ticket": "Cetak salinan tiket Anda",
}


def fill(lang: str) -> list[str]:
    path = HERE / f"kiosk_{lang}.ts"
    tree = ET.parse(path)
    missing = []
    for message in tree.getroot().iter("message"):
        source = message.findtext("source") or ""
        translation = message.find("translation")
        assert translation is not None
        text = source if lang == "en" else ID.get(source)
        if text is None:
            missing.append(source)
            continue
        translation.text = text
        translation.attrib.pop("type", None)
    ET.indent(tree)
    body = ET.tostring(tree.getroot(), encoding="unicode")
    path.write_text('<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>\n' + body + "\n",
                    encoding="utf-8")
    return missing


if __name__ == "__main__":
    gaps = [f"{lang}: {src}" for lang in ("id", "en") for src in fill(lang)]
    print("\n".join(gaps) or "complete")
    sys.exit(1 if gaps else 0)
