"""`mpp demo`: a whole hall on one machine (broker, server, simulated kiosks and counters).

Modules: day (pure planning of the simulated day), simulator (the scheduler and the simulated
devices), summary (the console view), run (wiring, start and clean stop)."""
