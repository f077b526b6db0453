"""Ways to give: IBAN and BIC, the EPC QR code, giving links, the tax reduction. Imports only core."""
