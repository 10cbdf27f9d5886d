"""The citizen kiosk: a PySide6/QML touchscreen that issues queue tickets.

Welcome -> agency -> service -> priority -> printing -> result, in Bahasa Indonesia or
English. Tickets are issued with `ticket.issue` over MQTT (QueueClient, off the Qt thread)
and printed through `drivers.printer`; when printing fails the number and its QR stay on
the screen. Entry point: `kiosk.app.main(argv)` (`mpp kiosk`).
"""
