"""Keys and certificates: the HTTPS certificate, the signing certificates, the PAdES
signatures."""
