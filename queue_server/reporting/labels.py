"""Column headers and sheet names of the report exports, in Bahasa Indonesia and English.

One catalogue: `LABELS[field] = {"id": ..., "en": ...}`; `label(field, lang)` picks one.
Hour columns (`hour_00`..`hour_23`), bucket columns (`wait_<label>`) and IKM element
columns (`nrr_u1`..) are generated from their parts here too.
"""

from __future__ import annotations

from queue_server.domain.ikm import ELEMENT_NAMES
from queue_server.protocol.ops import LANGS

LABELS: dict[str, dict[str, str]] = {
    # row identity
    "level": {"id": "Tingkat", "en": "Level"},
    "key": {"id": "Kode", "en": "Code"},
    "name": {"id": "Nama", "en": "Name"},
    "agency": {"id": "Instansi", "en": "Agency"},
    # figures
    "issued": {"id": "Tiket diambil", "en": "Tickets issued"},
    "served": {"id": "Dilayani", "en": "Served"},
    "no_shows": {"id": "Tidak hadir", "en": "No-shows"},
    "transferred": {"id": "Dialihkan", "en": "Transferred"},
    "cancelled": {"id": "Dibatalkan", "en": "Cancelled"},
    "voided": {"id": "Dibatalkan petugas", "en": "Voided"},
    "priority": {"id": "Prioritas", "en": "Priority"},
    "wait_avg_s": {"id": "Rata-rata tunggu (detik)", "en": "Average wait (s)"},
    "wait_p90_s": {"id": "Tunggu P90 (detik)", "en": "Wait p90 (s)"},
    "service_avg_s": {"id": "Rata-rata layanan (detik)", "en": "Average service time (s)"},
    "service_p90_s": {"id": "Layanan P90 (detik)", "en": "Service time p90 (s)"},
    "within_target": {"id": "Sesuai target (%)", "en": "Within target (%)"},
    "within_target_of": {"id": "Dilayani dengan target", "en": "Served with a target"},
    "busiest_hour": {"id": "Jam tersibuk", "en": "Busiest hour"},
    # IKM
    "ikm_respondents": {"id": "Responden IKM", "en": "IKM respondents"},
    "ikm_index": {"id": "Nilai IKM (1-4)", "en": "IKM index (1-4)"},
    "ikm_converted": {"id": "Nilai konversi IKM", "en": "IKM converted value"},
    "ikm_grade": {"id": "Mutu pelayanan", "en": "Service quality grade"},
    "ikm_label": {"id": "Kinerja unit pelayanan", "en": "Unit performance"},
    # levels (values of the level column)
    "level_site": {"id": "Lokasi", "en": "Site"},
    "level_agency": {"id": "Instansi", "en": "Agency"},
    "level_service": {"id": "Layanan", "en": "Service"},
    "level_counter": {"id": "Loket", "en": "Counter"},
    "level_officer": {"id": "Petugas", "en": "Officer"},
    # sheets and summary
    "sheet_summary": {"id": "Ringkasan", "en": "Summary"},
    "sheet_agency": {"id": "Instansi", "en": "Agencies"},
    "sheet_service": {"id": "Layanan", "en": "Services"},
    "sheet_counter": {"id": "Loket", "en": "Counters"},
    "sheet_officer": {"id": "Petugas", "en": "Officers"},
    "sheet_hours": {"id": "Kedatangan per jam", "en": "Arrivals per hour"},
    "sheet_waits": {"id": "Sebaran waktu tunggu", "en": "Wait distribution"},
    "sheet_ikm": {"id": "IKM", "en": "IKM"},
    "site": {"id": "Lokasi", "en": "Site"},
    "timezone": {"id": "Zona waktu", "en": "Time zone"},
    "first_day": {"id": "Dari tanggal", "en": "From"},
    "last_day": {"id": "Sampai tanggal", "en": "To"},
    "days": {"id": "Jumlah hari", "en": "Days"},
    "figure": {"id": "Ukuran", "en": "Figure"},
    "value": {"id": "Nilai", "en": "Value"},
    "ikm_weight": {"id": "Bobot unsur IKM", "en": "IKM element weight"},
}


def label(field: str, lang: str) -> str:
    """The header of `field` in `lang` ('id' or 'en'); ValueError on an unknown language,
    KeyError on an unknown field (a programming error)."""
    check_lang(lang)
    if field in LABELS:
        return LABELS[field][lang]
    if field.startswith("hour_"):
        hour = int(field[5:])
        word = {"id": "Jam", "en": "Hour"}[lang]
        return f"{word} {hour:02d}"
    if field.startswith("wait_"):
        word = {"id": "Tunggu", "en": "Wait"}[lang]
        return f"{word} {field[5:]} min"
    if field.startswith("nrr_"):
        element = field[4:]
        name_id, name_en = ELEMENT_NAMES[element]
        return f"NRR {element.upper()} {name_id if lang == 'id' else name_en}"
    raise KeyError(field)


def check_lang(lang: str) -> None:
    if lang not in LANGS:
        raise ValueError(f"lang must be one of {', '.join(LANGS)}, got {lang!r}")
