"""A dossier's life at the office: actions, stamping, the papers, photos, the public
verify answer."""
