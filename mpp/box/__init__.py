"""Box bundles: what `mpp provision --boxes` makes for each box of a site (role, device id,
credentials, CA, unit drop-ins) and what `mpp box install` / `mpp box firstboot` put in
place on the box, so no address or id is typed there (docs/boxes.md)."""
