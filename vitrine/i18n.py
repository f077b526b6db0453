"""Every user-visible string, per language, and locale-aware formatting.

A campaign in another language adds a dictionary here (missing keys fall back
to English). Plural forms follow CLDR rules through Babel, so Arabic's six
forms work like French's two.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from babel import Locale, UnknownLocaleError
from babel.dates import format_date

from .donate import format_money, format_number

STRINGS: dict[str, dict[str, str | dict[str, str]]] = {
    "fr": {
        "home": "Accueil",
        "people": "Témoignages",
        "people_intro": "Ils ont vécu dans les camps. Chacun raconte les objets qui ont compté.",
        "products": "Les produits",
        "products_intro": "Des objets ordinaires, vitaux quand on dort dehors.",
        "wishlist": "Liste de besoins",
        "wishlist_intro": "Ce dont l'association a besoin, objet par objet.",
        "donate": "Donner",
        "press": "Presse",
        "about": "À propos",
        "reviews": {"one": "{n}\u00a0avis", "other": "{n}\u00a0avis"},
        "rated": "Noté {rating} sur 5",
        "average": "Note moyenne : {rating} sur 5",
        "no_reviews": "Pas encore d'avis",
        "give_this": "Offrir ce produit",
        "give": "Faire un don",
        "give_to": "Donner à {organisation}",
        "unit_price": "Prix unitaire",
        "needed": "Besoin",
        "collected": "Reçus",
        "remaining": "Reste",
        "cost_to_fulfil": "Coût pour combler le besoin",
        "fulfilled": "Besoin comblé",
        "progress": "{collected} reçus sur {needed}",
        "units": {"one": "{n}\u00a0unité", "other": "{n}\u00a0unités"},
        "see_product": "Voir le produit",
        "see_wishlist": "Voir la liste de besoins",
        "featured": "Avis mis en avant",
        "badge": "Témoignage vécu",
        "review_by": "Avis de {name}",
        "their_reviews": "Ses avis",
        "their_story": "Son histoire",
        "origin": "Origine",
        "occupation": "Avant",
        "reviewed": {"one": "{n} produit commenté", "other": "{n} produits commentés"},
        "read_story": "Lire son histoire",
        "other_category": "Autres",
        "total": "Ensemble",
        "latest": "Ce qu'ils en disent",
        "meet": "Les personnes",
        "all_products": "Tous les produits",
        "photo_of": "Photo {n} sur {total}",
        "previous": "Précédente",
        "next": "Suivante",
        "close": "Fermer",
        "language": "Français",
        "problems": {"one": "{n} problème dans le contenu", "other": "{n} problèmes dans le contenu"},
        "on_this_page": "Sur cette page",
        "quote": "« {text} »",
        "new_window": "s'ouvre dans un nouvel onglet",
        "callout": "Chaque objet de ces témoignages manque encore à quelqu'un aujourd'hui.",
        "home_needs": "{products} produits dont l'association a besoin, {remaining} unités encore attendues.",
        "home_cost": "Il manque {cost} pour tout couvrir.",
        "donate_intro": "Toutes les façons de soutenir {organisation}, en ligne, par virement ou en envoyant des objets.",
        "give_online": "Donner en ligne",
        "bank_transfer": "Virement bancaire",
        "holder": "Titulaire",
        "copy": "Copier l'IBAN",
        "copied": "IBAN copié",
        "reference": "Libellé",
        "qr_title": "QR code de virement SEPA",
        "qr_caption": "Scannez ce code avec l'application de votre banque : le virement se remplit tout seul. Toutes les banques ne le lisent pas : l'IBAN ci-contre suffit.",
        "give_items": "Donner des objets",
        "parcel_intro": "Vous pouvez aussi envoyer un colis à cette adresse :",
        "parcel_note": "À écrire sur le colis :",
        "tax_title": "Réduction d'impôt",
        "tax_general": "Votre don ouvre droit à une réduction d'impôt sur le revenu de 66 % de son montant.",
        "tax_aid": "Votre don ouvre droit à une réduction d'impôt sur le revenu de 75 % jusqu'à {ceiling} de dons dans l'année, puis de 66 % au-delà.",
        "tax_caption": "Ce que votre don vous coûte après réduction d'impôt",
        "tax_gift": "Votre don",
        "tax_cost": "Coût réel",
        "tax_other": "Un autre montant, en euros :",
        "tax_sentence": "Un don de {gift} vous coûte {cost} après réduction d'impôt.",
        "tax_note": "Dans la limite de 20 % du revenu imposable ; l'excédent est reportable sur les cinq années suivantes. Un reçu fiscal vous est envoyé.",
        "key_figures": "Chiffres clés",
        "reviews_word": "Témoignages publiés",
        "press_contacts": "Contacts presse",
        "press_kit": "Dossier de presse",
        "press_people": "Personnes qui témoignent",
        "press_products": "Produits",
        "press_file": "dossier-de-presse",
        "press_release": "Communiqué de presse",
        "press_download_pdf": "Dossier de presse (PDF)",
        "press_download_zip": "Photos haute définition (ZIP)",
        "press_downloads": "Téléchargements",
        "press_embargo": "Sous embargo jusqu'au {date}",
        "press_embargoed": "Le dossier de presse est sous embargo jusqu'au {date} : il sera publié à cette date. Les contacts presse ci-dessous peuvent vous le transmettre sous embargo.",
        "press_voices": "Ils témoignent",
        "press_speaks_about": "Parle de : {products}",
        "press_quote": "« {quote} »",
        "press_coverage": "Ils en parlent",
        "press_read": "Lire l'article",
        "press_contents": "Sommaire",
        "press_about": "L'association",
        "press_give": "Comment donner",
        "press_video": "Vidéo de la campagne",
        "press_play": "Lire la vidéo",
        "press_play_note": "La vidéo est chargée depuis {host} seulement si vous cliquez.",
        "press_watch": "Voir la vidéo sur {host}",
        "press_credits": "Crédits et droits des images",
        "press_rights_default": "Pour tout usage des images, contactez l'équipe presse.",
        "press_figures_note": "Chiffres calculés à partir des témoignages publiés, au {date}.",
        "press_photos": {"one": "{n} photo", "other": "{n} photos"},
        "press_site": "Site de la campagne",
        "press_captions": "Légendes et crédits",
        "press_more": "Tous les témoignages, les produits et la liste de besoins : {url}",
    },
    "en": {
        "home": "Home",
        "people": "Testimonies",
        "people_intro": "They lived in the camps. Each tells of the objects that mattered.",
        "products": "Products",
        "products_intro": "Ordinary objects, vital when you sleep outside.",
        "wishlist": "Wish list",
        "wishlist_intro": "What the organisation needs, item by item.",
        "donate": "Give",
        "press": "Press",
        "about": "About",
        "reviews": {"one": "{n} review", "other": "{n} reviews"},
        "rated": "Rated {rating} out of 5",
        "average": "Average rating: {rating} out of 5",
        "no_reviews": "No reviews yet",
        "give_this": "Give this item",
        "give": "Donate",
        "give_to": "Give to {organisation}",
        "unit_price": "Unit price",
        "needed": "Needed",
        "collected": "Received",
        "remaining": "Remaining",
        "cost_to_fulfil": "Cost to meet the need",
        "fulfilled": "Need met",
        "progress": "{collected} received of {needed}",
        "units": {"one": "{n} item", "other": "{n} items"},
        "see_product": "See the item",
        "see_wishlist": "See the wish list",
        "featured": "Featured review",
        "badge": "Lived experience",
        "review_by": "Review by {name}",
        "their_reviews": "Their reviews",
        "their_story": "Their story",
        "origin": "From",
        "occupation": "Before",
        "reviewed": {"one": "{n} item reviewed", "other": "{n} items reviewed"},
        "read_story": "Read their story",
        "other_category": "Other",
        "total": "Overall",
        "latest": "What they say",
        "meet": "The people",
        "all_products": "All items",
        "photo_of": "Photo {n} of {total}",
        "previous": "Previous",
        "next": "Next",
        "close": "Close",
        "language": "English",
        "problems": {"one": "{n} content problem", "other": "{n} content problems"},
        "on_this_page": "On this page",
        "quote": "“{text}”",
        "new_window": "opens in a new tab",
        "callout": "Every object in these testimonies is still missing for someone today.",
        "home_needs": "{products} items the organisation needs, {remaining} units still awaited.",
        "home_cost": "{cost} would cover it all.",
        "donate_intro": "Every way to support {organisation}: online, by bank transfer or by sending items.",
        "give_online": "Give online",
        "bank_transfer": "Bank transfer",
        "holder": "Account holder",
        "copy": "Copy the IBAN",
        "copied": "IBAN copied",
        "reference": "Reference",
        "qr_title": "SEPA transfer QR code",
        "qr_caption": "Scan this code with your banking app to fill in the transfer. Not every bank reads it: the IBAN alone is enough.",
        "give_items": "Give items",
        "parcel_intro": "You can also send a parcel to this address:",
        "parcel_note": "Write on the parcel:",
        "tax_title": "Tax relief (France)",
        "tax_general": "Your gift entitles you to a French income-tax reduction of 66% of its amount.",
        "tax_aid": "Your gift entitles you to a French income-tax reduction of 75% up to {ceiling} of gifts in the year, then 66% above.",
        "tax_caption": "What your gift costs after the tax reduction",
        "tax_gift": "Your gift",
        "tax_cost": "Actual cost",
        "tax_other": "Another amount, in euros:",
        "tax_sentence": "A gift of {gift} costs you {cost} after the tax reduction.",
        "tax_note": "Within 20% of taxable income; any excess carries over to the next five years. A tax receipt is sent to you.",
        "key_figures": "Key figures",
        "reviews_word": "Published testimonies",
        "press_contacts": "Press contacts",
        "press_kit": "Press kit",
        "press_people": "People speaking",
        "press_products": "Items",
        "press_file": "press-kit",
        "press_release": "Press release",
        "press_download_pdf": "Press kit (PDF)",
        "press_download_zip": "High-resolution photos (ZIP)",
        "press_downloads": "Downloads",
        "press_embargo": "Embargoed until {date}",
        "press_embargoed": "The press kit is under embargo until {date} and will be published then. The press contacts below can send it to you under embargo.",
        "press_voices": "Who speaks",
        "press_speaks_about": "Speaks about: {products}",
        "press_quote": "“{quote}”",
        "press_coverage": "In the media",
        "press_read": "Read the article",
        "press_contents": "Contents",
        "press_about": "About the organisation",
        "press_give": "How to give",
        "press_video": "Campaign video",
        "press_play": "Play the video",
        "press_play_note": "The video loads from {host} only if you click.",
        "press_watch": "Watch the video on {host}",
        "press_credits": "Image credits and rights",
        "press_rights_default": "For any use of the images, contact the press team.",
        "press_figures_note": "Figures computed from the published testimonies, as of {date}.",
        "press_photos": {"one": "{n} photo", "other": "{n} photos"},
        "press_site": "Campaign website",
        "press_captions": "Captions and credits",
        "press_more": "Every testimony, item and the wish list: {url}",
    },
    "ar": {
        "home": "الرئيسية",
        "people": "شهادات",
        "products": "المنتجات",
        "wishlist": "قائمة الاحتياجات",
        "donate": "تبرّع",
        "press": "الصحافة",
        "give_this": "تبرّع بهذا المنتج",
        "give": "تبرّع",
        "reviews": {
            "zero": "{n} تقييم",
            "one": "تقييم واحد",
            "two": "تقييمان",
            "few": "{n} تقييمات",
            "many": "{n} تقييمًا",
            "other": "{n} تقييم",
        },
        "language": "العربية",
    },
}
FALLBACK = "en"


class Translator:
    """``t("key", n=3, name=...)`` in templates and code, for one language."""

    def __init__(self, lang: str) -> None:
        self.lang = lang
        try:
            self.locale = Locale.parse(lang.replace("-", "_"))
        except (ValueError, UnknownLocaleError):
            self.locale = Locale.parse(FALLBACK)
        base = lang.split("-")[0]
        self.strings = {**STRINGS[FALLBACK], **STRINGS.get(base, {}), **STRINGS.get(lang, {})}

    @property
    def dir(self) -> str:
        return (self.locale.character_order == "right-to-left" and "rtl") or "ltr"

    def __call__(self, key: str, n: int | None = None, **values: object) -> str:
        entry = self.strings.get(key, key)
        if isinstance(entry, dict):
            form = self.locale.plural_form(n or 0)
            entry = entry.get(form, entry["other"])
        return entry.format(n=self.number(n) if n is not None else "", **values)

    def money(self, amount: Decimal | int | float) -> str:
        return format_money(amount, self.lang)

    def number(self, value: Decimal | int | float) -> str:
        return format_number(value, self.lang)

    def date(self, day: date) -> str:
        return format_date(day, format="long", locale=self.locale)
