"""An embedded SMSPool simulator: fake money, real wire shapes, never imports textual.

- `engine.SimEngine(clock, ...)`: the in-memory API; `handle(method, path, params, key,
  key_source)` answers with the live API's bodies (docs: /work/shared/spec/real-api.md).
- `server.SimServer(engine)`: that engine behind real HTTP on loopback, in a thread.
- `faults.FaultConfig` / `engine.force_fault(kind)`: failures on purpose, seeded.
- `runner.serve(...)` for `smspool-tui sim`, `runner.start_demo()` for `--demo`.

Module map: catalog_data/catalog (countries, services, pools, seeded prices), market (catalog
and price endpoints), order_models/orders (SMS orders), rental_models/rentals (rentals),
wire (body shapes and formats).
"""
