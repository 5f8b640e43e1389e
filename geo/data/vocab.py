"""Controlled vocabularies: the only values the data files may use, with readable labels."""

from __future__ import annotations

ACTIVITIES: dict[str, str] = {
    "support_to_insurgency": "Support to insurgency",
    "military_training": "Military training",
    "military_advisers": "Military advisers",
    "intelligence_cooperation": "Intelligence cooperation",
    "joint_exercises": "Joint exercises",
    "border_security": "Border security",
    "counter_narcotics": "Counter-narcotics",
    "peacekeeping": "Peacekeeping",
    "disaster_response": "Disaster response",
    "medical_diplomacy": "Medical diplomacy",
    "defense_technology": "Defence technology",
    "peace_mediation": "Peace mediation",
    "armed_intervention": "Armed intervention",
}

EVIDENCE: dict[str, str] = {
    "documented": "Official documents or statements, declassified records, court findings, or "
                  "archive-based scholarship.",
    "reported": "Reported by reputable journalism or research; not officially confirmed.",
    "alleged": "Claimed by an interested party, or in circulation, without independent "
               "corroboration.",
}

STATUSES: dict[str, str] = {
    "member": "Full member",
    "associate": "Associate member or associated state",
    "observer": "Observer",
    "suspended": "Member whose participation is suspended (by the body or by itself)",
    "inactive": "Still a party on paper but not taking part (e.g. Cuba in the OAS since 2009)",
    "disputed": "Contested: sources disagree whether the state is a party (the note says who says "
                "what)",
}

COUNTERPARTS: dict[str, str] = {
    "government": "Cuba worked with the state's government",
    "armed_opposition": "Cuba backed insurgents or an armed opposition fighting the state's "
                        "government",
}

CUBAN_BODIES: dict[str, str] = {
    "armed_forces": "Revolutionary Armed Forces (FAR)",
    "interior_ministry": "Ministry of the Interior (MININT)",
    "intelligence": "Intelligence (DGI, later Dirección de Inteligencia)",
    "medical_services": "Medical services (MINSAP, medical brigades, Henry Reeve)",
    "civil_defence": "Civil defence",
    "other": "Another Cuban body named by the sources",
}

ORG_KINDS: dict[str, str] = {
    "political": "Political coordination",
    "economic": "Economic or trade",
    "defence": "Defence or collective security",
    "energy": "Energy",
    "integration": "Regional integration (political, economic and social)",
}

COUNTRY_KINDS: dict[str, str] = {
    "state": "Sovereign state (CELAC member)",
    "territory": "Non-sovereign territory",
    "context": "Neighbouring land drawn for context",
}

MAX_ORGANISATIONS = 22
"""Most organisations the map can tell apart by colour (``geo.view.colours.QUALITATIVE``);
``load_atlas`` reports the rows past it."""
