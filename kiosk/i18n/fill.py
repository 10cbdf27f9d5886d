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
