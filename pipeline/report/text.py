"""Every word the reports say themselves, in Dutch and English (labels come from the instrument).

Placeholders in braces are filled by the sections; both languages have the same keys (a test
checks it). Numbers are formatted before they are put in: decimal comma in Dutch.
"""

from __future__ import annotations

__all__ = ["TEXT"]

_NL: dict[str, str] = {
    # page
    "report_kind": "Rapportage voor de stuurgroep",
    "party_report_kind": "Rapportage voor één partner van {partnership}",
    "round": "ronde {round}",
    "contents": "Inhoud",
    "partnership": "Samenwerking",
    "the_partnership": "de samenwerking",
    "and": "en",
    "versus": " – ",
    "none": "geen",
    "missing": "–",
    "no_data": "Hiervoor zijn in deze ronde geen gegevens.",
    "table_caption": "Tabel bij deze figuur",
    # section names (the contents and the small line above each heading)
    "sec_summary": "Samenvatting",
    "sec_parties": "Partijen",
    "sec_friction": "Glanzen en schuren",
    "sec_trends": "Trends",
    "sec_statements": "Stellingen",
    "sec_levels": "Niveaus",
    "sec_give_take": "Halen en brengen",
    "sec_drivers": "Wat het meest telt",
    "sec_method": "Methode en datakwaliteit",
    "sec_method_short": "Methode",
    "sec_comments": "Open antwoorden",
    "part_friction": "glanzen en schuren per gebied",
    "not_asked": "Niet in dit rapport, omdat de vragenlijst er niet naar vraagt: {parts}.",
    # 1. summary
    "summary_none": "Voor deze ronde zijn geen scores van de samenwerking beschikbaar",
    "grows_one": "groeit",
    "grows_many": "groeien",
    "falls_one": "daalt",
    "falls_many": "dalen",
    "summary_high": "{dim} scoort het hoogst ({v})",
    "summary_high_shines": "{dim} glanst ({v})",
    "summary_low": "{dim} scoort het laagst ({v})",
    "summary_low_chafes": "{dim} schuurt ({v})",
    "lead_base": "Gebaseerd op {kept} ingevulde vragenlijsten van {parties} partijen.",
    "lead_chafes": "Schuurt (onder {t}): {dims}.",
    "lead_no_chafes": "Geen enkele dimensie schuurt (alle scores {t} of hoger).",
    "lead_shines": "Glanst ({t} of hoger): {dims}.",
    "fig_partnership_title": "Hoogst op {hi} ({hi_v}), laagst op {lo} ({lo_v})",
    "fig_none": "Geen scores om te tonen",
    "band_shines": "glanst (≥ {hi})",
    "band_attention": "aandacht ({lo} tot {hi})",
    "band_chafes": "schuurt (< {lo})",
    "band_none": "geen score",
    "band_word_shines": "glanst",
    "band_word_attention": "aandacht",
    "band_word_chafes": "schuurt",
    "marker_respondent": "gemiddelde over alle respondenten",
    "axis_score": "Gemiddelde score (1 = helemaal mee oneens, 5 = helemaal mee eens)",
    "axis_mean_short": "Gemiddelde (1–5)",
    "hover_equal": "Partijen tellen even zwaar",
    "hover_respondent": "Alle respondenten",
    "hover_parties": "partijen",
    "note_partnership": (
        "Balk: gemiddelde van de partijgemiddelden, elke partij telt even zwaar. "
        "Ruit: gemiddelde over alle respondenten. Kleur (grenzen als stippellijn): glanst bij "
        "{hi} of hoger, aandacht van {lo} tot {hi}, schuurt onder {lo}. "
        "n = {n} respondenten per dimensie, {parties} partijen."
    ),
    "col_dimension": "Dimensie",
    "col_equal": "Partijen even zwaar",
    "col_respondent": "Alle respondenten",
    "col_band": "Oordeel",
    "col_parties": "Partijen",
    "h_changes": "Verandering sinds {previous}",
    "h_changes_none": "Verandering",
    "changes_first_round": (
        "Ronde {round} is de eerste: de verandering is te zien vanaf de volgende ronde."
    ),
    "col_change": "Verschil",
    "col_effect": "Effect",
    "significant_up": "significant hoger",
    "significant_down": "significant lager",
    "note_changes": (
        "Verschil met {previous} over de vragen die beide rondes stelden. Significant: p kleiner "
        "dan 0,05, getoetst op alle respondenten van beide rondes, wie beide keren antwoordde "
        "als paar (een permutatietoets; bij de samenwerking binnen elke partij). Effect: Cohens "
        "d, in woorden volgens zijn vuistregels (0,2 klein, 0,5 middelgroot, 0,8 groot)."
    ),
    "h_response": "Respons per partij",
    "col_party": "Partij",
    "col_received": "Ontvangen",
    "col_kept": "Behouden",
    "col_excluded": "Uitgesloten",
    "col_invited": "Uitgenodigd",
    "col_rate": "Respons",
    "total": "Totaal",
    "note_response": (
        "Respons: behouden vragenlijsten als deel van het aantal uitgenodigde medewerkers "
        "(uit partnership.toml)."
    ),
    "note_response_no_invited": (
        "Het responspercentage staat er wanneer partnership.toml per partij het aantal "
        "uitgenodigden noemt (invited)."
    ),
    # 2. parties
    "parties_none": "Geen partij heeft {k} of meer respondenten: alle partijcijfers zijn verborgen",
    "parties_widest": "De partijen lopen het verst uiteen op {dim} ({lo} tot {hi})",
    "parties_lowest": "het laagst scoort {party} op {dim} ({v})",
    "fig_heat_title": "Laagst: {party} op {dim} ({v}); hoogst: {party2} op {dim2} ({v2})",
    "hover_mean": "Gemiddelde",
    "hover_interval": "95%-interval",
    "suppressed_cell": "n < {k}",
    "hidden_cell": "afgeschermd",
    "hover_suppressed": "niet getoond: minder dan {k} respondenten",
    "hover_hidden": "niet getoond: anders is een kleinere groep te herleiden",
    "colorbar": "Gemiddelde",
    "col_favourable": "% positieve antwoorden",
    "note_heat": (
        "Getal in een cel: het gemiddelde van die partij op die dimensie (1–5); oranje is laag, "
        "blauw is hoog, wit is 3. Aanwijzen toont n en het 95%-interval. Grijs: niet getoond, "
        "omdat minder dan {k} respondenten antwoordden (n < {k}); de cijfers van de "
        "samenwerking tellen alleen de getoonde partijen mee. Respondenten per partij: {counts}."
    ),
    # 3. glanzen en schuren
    "chafes_one": "schuurt",
    "chafes_many": "schuren",
    "friction_mostly_at": ", vooral bij {parties}",
    "friction_at_n": ", bij {n} partijen",
    "friction_none": "Geen verschil tussen de partners schuurt; {area} glanst het meest ({v})",
    "friction_no_data": "Geen gegevens over glanzen en schuren in deze ronde",
    "friction_by_statements": "Het meest glanst ‘{best}’ ({v}); het meest schuurt ‘{worst}’ ({w})",
    "h_shine_most": "Stellingen die het meest glanzen",
    "h_chafe_most": "Stellingen die het meest schuren",
    "h_divides": "Stellingen die de partijen verdelen",
    "divides_none": "Op geen enkele stelling verschillen de partijen duidelijk van elkaar.",
    "divides_more": "De {k} met de grootste spreiding van de {n} stellingen die verdelen.",
    "col_statement": "Stelling",
    "col_score": "Score",
    "col_spread": "Spreiding",
    "col_verdict": "Oordeel",
    "verdict_shines": "glanst",
    "verdict_attention": "aandacht",
    "verdict_chafes": "schuurt",
    "verdict_divides": "verdeelt",
    "verdict_spread": "uiteen",
    "reverse_mark": "(omgekeerd)",
    "note_verdicts": (
        "Score: gemiddelde van de partijgemiddelden (1–5), na omkeren van negatief gestelde "
        "stellingen (omgekeerd), dus hoger is altijd beter. Spreiding: hoogste min laagste "
        "partijgemiddelde. Verdeelt: de partijen verschillen significant (Kruskal-Wallis, "
        "gecorrigeerd volgens Holm). Uiteen: de partijen liggen een punt of meer uit elkaar, "
        "maar dat kan bij deze aantallen toeval zijn."
    ),
    "h_friction": "Waar de verschillen tussen de partners glanzen en schuren",
    "fig_friction_title": "Het meest schuurt {area} bij {party} ({v}); het meest glanst {area2} "
    "bij {party2} ({v2})",
    "col_area": "Verschil",
    "colorbar_friction": "−2 schuurt, +2 glanst",
    "pct_chafes": "% schuurt",
    "pct_shines": "% glanst",
    "note_friction": (
        "Gemiddelde op een schaal van −2 (schuurt sterk) tot +2 (glanst sterk); oranje schuurt, "
        "blauw glanst. De rij Samenwerking is het gemiddelde van de getoonde partijgemiddelden. "
        "Grijs: niet getoond (minder dan {k} respondenten)."
    ),
    "h_comments": "Open antwoorden",
    "comments_not_collected": "In deze ronde zijn geen open antwoorden verzameld",
    "comments_empty": "Niemand gaf in deze ronde een open antwoord",
    "comments_rule": (
        "Open antwoorden staan per partij bij partijen met {m} of meer respondenten. De "
        "antwoorden van kleinere partijen staan samen, zonder partij of niveau, onder "
        "‘Overige partijen samen’. Namen, e-mailadressen, telefoonnummers, links, IBAN's, "
        "IP-adressen en burgerservicenummers zijn weggelaten."
    ),
    "comments_pool": "Overige partijen samen",
    "comments_group": "{group} ({n} antwoorden)",
    "comments_capped": (
        "{k} van de {n} antwoorden, vast gekozen; alle antwoorden staan in de tabel comments."
    ),
    "comments_pooled_party": (
        "De open antwoorden van {party} staan niet apart in dit rapport, omdat minder dan {m} "
        "mensen van {party} antwoordden (of omdat anders een kleinere partij te herkennen is). "
        "Ze staan zonder naam van de partij bij de antwoorden van de samenwerking."
    ),
    "comments_none_party": "Niemand van {party} gaf een open antwoord.",
    # 4. trends
    "trends_first_round": "Ronde {round} is de eerste: trends volgen vanaf de volgende ronde",
    "trends_none": "Geen dimensie is in meer dan één ronde te tonen",
    "trends_rise": "sinds {since} stijgt {dim} het meest bij {who} ({a} → {b})",
    "trends_fall": "{dim} daalt het meest ({a} → {b})",
    "trends_flat": "Sinds {since} blijven de scores van {who} ongeveer gelijk",
    "trends_need_two": "Een trend is te zien vanaf de tweede ronde.",
    "note_trends": (
        "Gemiddelde per ronde ({rounds}). Zwarte lijn: de samenwerking (partijgemiddelden even "
        "zwaar); gekleurde lijnen: partijen (klik in de legenda om een partij te verbergen). "
        "Een onderbroken lijn: die ronde minder dan {k} respondenten. Stippellijnen: de "
        "grenzen van glanzen en schuren."
    ),
    # 5. statements
    "statements_title": "{who}: het meest eens met ‘{most}’ ({p}), het meest oneens met "
    "‘{least}’ ({q})",
    "statements_none": "{who}: geen stellingen om te tonen",
    "dont_know": "Weet niet",
    "dont_know_short": "Weet niet",
    "no_answers": "geen antwoorden",
    "answered": "beantwoord (zonder weet niet)",
    "axis_statements": "% oneens ← → % eens (neutraal in het midden)",
    "note_statements": (
        "Per stelling de verdeling van de antwoorden van wie de stelling beantwoordde: oneens "
        "naar links, eens naar rechts, neutraal in het midden. ‘Weet niet’ staat apart rechts, "
        "als deel van iedereen aan wie de stelling werd voorgelegd, en telt niet mee in de "
        "percentages. (omgekeerd): een negatief gestelde stelling, waar eens ongunstig is. "
        "Aanwijzen toont n."
    ),
    "note_dropdown": "Kies rechtsboven de samenwerking of een partij.",
    "note_dropdown_hidden": (
        "{parties} staan niet in de keuzelijst: minder dan {k} respondenten, of anders te "
        "herleiden."
    ),
    "table_caption_statements": "Tabel bij deze figuur ({who})",
    # 6. levels
    "levels_none": "Geen gegevens per niveau in deze ronde",
    "levels_alike": "Bestuur, management en uitvoering zien de samenwerking ongeveer gelijk",
    "levels_gap": ("Op {dim} lopen de niveaus het verst uiteen: {high} {a} tegenover {low} {b}"),
    "levels_significant": " (significant)",
    "col_level": "Niveau",
    "note_levels": (
        "Gemiddelde per niveau in de organisatie, over alle partijen samen; de grijze lijn loopt "
        "van het laagste naar het hoogste niveau. Aanwijzen toont n en het 95%-interval. Een "
        "niveau met minder dan {k} respondenten wordt niet getoond."
    ),
    "note_levels_hidden": "Niet getoond: {cells}.",
    "levels_one": (
        "Alleen {levels} heeft per dimensie {k} of meer respondenten; een vergelijking tussen "
        "niveaus is er niet"
    ),
    "levels_party_hidden": (
        "Per niveau zijn de cijfers van {party} verborgen: minder dan {k} respondenten per niveau"
    ),
    "note_levels_party": (
        "Gemiddelde per niveau bij {party}; de grijze lijn loopt van het laagste naar het "
        "hoogste niveau. Aanwijzen toont n en het 95%-interval. Een niveau met minder dan {k} "
        "respondenten wordt niet getoond, en waar dat het zou verraden ook het eerstvolgende "
        "kleinste niet."
    ),
    # 7. halen en brengen
    "give_take_none": "Geen gegevens over halen en brengen in deze ronde",
    "give_take_balanced": "Halen en brengen is bij alle getoonde partijen ongeveer in balans",
    "give_take_brings_more": "{party} brengt meer in dan het terugkrijgt ({b} tegen {g})",
    "give_take_gets_more": "{party} krijgt meer terug dan het inbrengt ({g} tegen {b})",
    "axis_brings": "Brengt in",
    "axis_gets": "Krijgt terug",
    "balance": "evenwicht",
    "gets_more": "krijgt meer terug dan het inbrengt",
    "brings_more": "brengt meer in dan het terugkrijgt",
    "note_give_take": (
        "Per partij het gemiddelde op ‘{brings}’ (horizontaal) en ‘{gets}’ (verticaal), 1–5. "
        "Op de stippellijn zijn halen en brengen in evenwicht."
    ),
    "note_give_take_hidden": "{parties} staan niet in de figuur: minder dan {k} respondenten.",
    # 8. drivers
    "drivers_none": "Geen gegevens over de samenhang met de resultaten in deze ronde",
    "relates_one": "hangt",
    "relates_many": "hangen",
    "drivers_heading": "{dims} {verb} het sterkst samen met {outcome}",
    "axis_rho": "Samenhang met de resultaten (Spearmans rho)",
    "note_drivers": (
        "Spearmans rangcorrelatie tussen elke dimensie en {outcome}, binnen de partijen (elke "
        "score afgezet tegen het gemiddelde van de eigen partij), over respondenten met beide "
        "scores (n = {n}). 0 is geen samenhang, 1 volledige. Samenhang is geen oorzaak: "
        "het zegt waar verbetering het meest samengaat met betere resultaten."
    ),
    # 9. method and data quality
    "method_reliable_all": "Alle schalen zijn betrouwbaar (alfa {lo} tot {hi})",
    "method_reliable_none": "De betrouwbaarheid was niet te berekenen",
    "method_reliable_some": "{good} van de {total} schalen zijn betrouwbaar (alfa {t} of hoger)",
    "method_excluded": "{x} van de {n} ontvangen vragenlijsten uitgesloten",
    "h_reliability": "Betrouwbaarheid van de schalen",
    "col_items": "Vragen",
    "col_complete": "Volledig ingevuld",
    "col_alpha": "Cronbachs alfa",
    "col_alpha_interval": "95%-interval (Feldt)",
    "col_flag": "Opmerking",
    "alpha_low": "lager dan {t}",
    "alpha_na": "niet te berekenen",
    "note_reliability": (
        "Cronbachs alfa zegt hoe samenhangend de vragen van een dimensie zijn, berekend over de "
        "respondenten die alle vragen van die dimensie beantwoordden, met het interval volgens "
        "Feldt. Onder {t} is de dimensiescore minder betrouwbaar; lees die met voorzichtigheid."
    ),
    "item_reliability_caption": "Per stelling: samenhang met de rest en alfa zonder de stelling",
    "col_item_rest": "Item-rest r",
    "col_alpha_deleted": "Alfa zonder deze stelling",
    "note_item_reliability": (
        "Item-rest r: correlatie van de stelling met de som van de andere stellingen van de "
        "dimensie. Oranje: zonder deze stelling zou alfa hoger zijn."
    ),
    "h_tests": "Verschillen getoetst",
    "col_comparison": "Vergelijking",
    "col_p_adjusted": "p (gecorrigeerd)",
    "col_pair": "Paar",
    "comparison_parties": "tussen partijen",
    "comparison_levels": "tussen niveaus",
    "pairs_caption": (
        "Paarsgewijs: {s} van de {n} vergelijkingen significant; per dimensie de {k} met het "
        "grootste effect"
    ),
    "effect_none": "verwaarloosbaar",
    "effect_small": "klein",
    "effect_medium": "middelgroot",
    "effect_large": "groot",
    "note_tests": (
        "Kruskal-Wallis over de getoonde partijen (of niveaus), met epsilon-kwadraat (ε²) als "
        "effectgrootte; paarsgewijs Mann-Whitney met de rangbiseriële r. De p-waarden zijn "
        "gecorrigeerd volgens Holm (de paren over alle paren van de ronde, de hoofdtoetsen over "
        "de dimensies). Effect in woorden volgens de vuistregels van Cohen: r vanaf 0,1 klein, 0,3 "
        "middelgroot, 0,5 groot; ε² vanaf 0,01 klein, 0,06 middelgroot, 0,14 groot; daaronder "
        "verwaarloosbaar."
    ),
    "h_log": "Uitsluitingen en meldingen",
    "col_check": "Controle",
    "col_action": "Actie",
    "col_count": "Aantal",
    "log_empty": "Geen meldingen: alle ontvangen antwoorden zijn ongewijzigd gebruikt.",
    "log_details_all": "Alle {n} meldingen bekijken",
    "log_details_capped": "De eerste {k} van {n} meldingen bekijken",
    "log_full": "Het volledige logboek staat in quality_log.csv bij de verwerkte tabellen.",
    "col_file": "Bestand",
    "col_row": "Rij",
    "col_detail": "Toelichting",
    "check_empty_response": "Lege vragenlijst",
    "check_duplicate": "Dubbele inzending",
    "check_identifiers_removed": "Identificerende gegevens verwijderd",
    "check_same_identifier": "Zelfde persoon later opnieuw ingevuld",
    "check_identical_answers": "Zelfde antwoorden als een andere inzending (behouden)",
    "check_no_party": "Geen organisatie opgegeven",
    "check_not_submitted": "Niet verzonden",
    "check_speeder": "Veel te snel ingevuld",
    "check_straightliner": "Overal hetzelfde antwoord",
    "check_too_few_items": "Te weinig vragen beantwoord",
    "action_excluded": "uitgesloten",
    "action_changed": "aangepast",
    "action_flagged": "gemarkeerd",
    "h_method": "Hoe dit rapport is gemaakt",
    "method_text": (
        "De score van de samenwerking is het gemiddelde van de partijgemiddelden: elke partij "
        "telt even zwaar. ‘Weet niet’ telt nergens als score. Een groep met minder dan {k} "
        "respondenten wordt niet getoond, en waar dat één groep zou verraden ook de "
        "eerstvolgende kleinste niet. Open antwoorden staan per partij vanaf {m} respondenten. "
        "Dit rapport bevat alleen samengevatte cijfers en werkt zonder internetverbinding."
    ),
    "generated_at": "Gemaakt op",
    "instrument_version": "Vragenlijst",
    "h_inputs": "Invoerbestanden",
    "col_tool": "Herkend als",
    "col_rows": "Rijen",
    "col_sha": "SHA-256",
    "h_instrument": "Vragenlijst",
    "col_version": "Versie",
    "h_settings": "Instellingen",
    "col_setting": "Instelling",
    "col_value": "Waarde",
    "h_software": "Software",
    "col_package": "Pakket",
    "trends_party_title": "Sinds {since} {verb} {party} het meest, op {dim} ({a} → {b})",
    "trends_rose": "steeg",
    "trends_fell": "daalde",
    "party_trends_hidden": (
        "De trends van {party} zijn verborgen; hier staan die van de samenwerking"
    ),
    "statements_heading": (
        "{who}: op {agree} van de {total} stellingen is meer dan de helft het eens, op {disagree} "
        "meer dan de helft het oneens"
    ),
    "levels_title": "{level} scoort op {k} van de {m} dimensies het hoogst",
    "give_take_title": "Het meest in brengt {party} ({b}); het meest terug krijgt {party2} ({g})",
    "drivers_title": "Het zwakst hangt {dim} samen met {outcome} (rho {v})",
    "profile_highest": "{party} scoort het hoogst van alle partijen op {dims}",
    "profile_lowest": "{party} scoort het laagst van alle partijen op {dims}",
    "profile_lowest_too": "het laagst op {dims}",
    "profile_within": "{party} ligt op elke dimensie binnen de bandbreedte van de andere partijen",
    "party_friction_title": "{party} wijkt het meest af van de samenwerking bij {area} ({v} "
    "tegenover {p})",
    "party_friction_partnership": "De verschillen tussen de partners in de samenwerking",
    # party report
    "party_hidden_heading": "De cijfers van {party} zijn verborgen; hier staan die van de "
    "samenwerking",
    "party_hidden_small": (
        "Van {party} antwoordden minder dan {k} mensen. Om hen te beschermen zijn de cijfers "
        "van {party} verborgen; dit rapport toont alleen de cijfers van de samenwerking."
    ),
    "party_partnership_only": "De samenwerking per dimensie",
    "note_party_partnership_only": (
        "Balk: gemiddelde van de partijgemiddelden, elke partij telt even zwaar; ruit: "
        "gemiddelde over alle respondenten."
    ),
    "party_high_low": "{party} scoort het hoogst op {hi} ({hi_v}) en het laagst op {lo} ({lo_v})",
    "party_above": "; {above} van de {total} dimensies boven de samenwerking, {below} eronder",
    "legend_range": "andere partijen (laagste tot hoogste)",
    "legend_partnership": "samenwerking (partijen even zwaar)",
    "axis_friction": "−2 schuurt sterk … +2 glanst sterk",
    "col_others": "Andere partijen",
    "h_party_table": "Tabel",
    "note_profile": (
        "Blauwe stip: {party}. Zwarte ruit: de samenwerking (gemiddelde van de "
        "partijgemiddelden). Grijze balk: van de laagste tot de hoogste van de andere partijen "
        "die getoond worden. Een groep met minder dan {k} respondenten wordt niet getoond."
    ),
    "party_partly_hidden": "Niet getoond voor {dims}: minder dan {k} respondenten.",
    "party_friction_chafes": "{areas} {verb} bij {party} ({v}; samenwerking {p})",
    "party_friction_none": "Bij {party} schuurt geen van de verschillen; {area} glanst het "
    "meest ({v})",
    "note_party_friction": (
        "Blauwe stip: {party}; zwarte ruit: de samenwerking; grijze balk: de andere getoonde "
        "partijen, van laagste tot hoogste. Schaal van −2 (schuurt sterk) tot +2 (glanst "
        "sterk). Minder dan {k} respondenten: niet getoond."
    ),
    "h_party_best": "Stellingen waarop {party} het hoogst scoort",
    "h_party_worst": "Stellingen waarop {party} het laagst scoort",
    "note_party_statements": (
        "Score 1–5 na omkeren van negatief gestelde stellingen, dus hoger is altijd beter."
    ),
    "party_comments_heading": "{n} open antwoorden van {party}",
    "party_comments_pooled_heading": "De open antwoorden van {party} staan bij die van de "
    "samenwerking",
    "party_method_heading": "Alleen groepen van {k} of meer respondenten worden getoond",
    "party_method_text": (
        "De cijfers komen uit dezelfde tabellen als het rapport voor de stuurgroep. De "
        "samenwerking is het gemiddelde van de partijgemiddelden. De andere partijen staan er "
        "alleen als bandbreedte, zonder naam. Een groep met minder dan {k} respondenten wordt "
        "niet getoond; open antwoorden van de partij staan er vanaf {m} respondenten."
    ),
    "party_method_link": "Methode, betrouwbaarheid en datakwaliteit: zie het rapport voor de "
    "stuurgroep",
}

_EN: dict[str, str] = {
    # page
    "report_kind": "Steering group report",
    "party_report_kind": "Report for one partner of {partnership}",
    "round": "round {round}",
    "contents": "Contents",
    "partnership": "Partnership",
    "the_partnership": "the partnership",
    "and": "and",
    "versus": " – ",
    "none": "none",
    "missing": "–",
    "no_data": "There are no data for this in this round.",
    "table_caption": "Table for this figure",
    # section names
    "sec_summary": "Summary",
    "sec_parties": "Parties",
    "sec_friction": "Where it shines and chafes",
    "sec_trends": "Trends",
    "sec_statements": "Statements",
    "sec_levels": "Levels",
    "sec_give_take": "Give and take",
    "sec_drivers": "What matters most",
    "sec_method": "Method and data quality",
    "sec_method_short": "Method",
    "sec_comments": "Open answers",
    "part_friction": "shining and chafing per area",
    "not_asked": "Not in this report, as the questionnaire does not ask about them: {parts}.",
    # 1. summary
    "summary_none": "No partnership scores are available for this round",
    "grows_one": "grows",
    "grows_many": "grow",
    "falls_one": "falls",
    "falls_many": "fall",
    "summary_high": "{dim} scores highest ({v})",
    "summary_high_shines": "{dim} shines ({v})",
    "summary_low": "{dim} scores lowest ({v})",
    "summary_low_chafes": "{dim} chafes ({v})",
    "lead_base": "Based on {kept} completed questionnaires from {parties} parties.",
    "lead_chafes": "Chafing (below {t}): {dims}.",
    "lead_no_chafes": "No dimension chafes (all scores {t} or higher).",
    "lead_shines": "Shining ({t} or higher): {dims}.",
    "fig_partnership_title": "Highest on {hi} ({hi_v}), lowest on {lo} ({lo_v})",
    "fig_none": "No scores to show",
    "band_shines": "shines (≥ {hi})",
    "band_attention": "needs attention ({lo} to {hi})",
    "band_chafes": "chafes (< {lo})",
    "band_none": "no score",
    "band_word_shines": "shines",
    "band_word_attention": "needs attention",
    "band_word_chafes": "chafes",
    "marker_respondent": "mean over all respondents",
    "axis_score": "Mean score (1 = strongly disagree, 5 = strongly agree)",
    "axis_mean_short": "Mean (1–5)",
    "hover_equal": "Parties weigh equally",
    "hover_respondent": "All respondents",
    "hover_parties": "parties",
    "note_partnership": (
        "Bar: mean of the party means, every party weighs equally. Diamond: mean over all "
        "respondents. Colour (boundaries dotted): shines at {hi} or higher, needs attention "
        "from {lo} to {hi}, chafes below {lo}. n = {n} respondents per dimension, {parties} "
        "parties."
    ),
    "col_dimension": "Dimension",
    "col_equal": "Parties weigh equally",
    "col_respondent": "All respondents",
    "col_band": "Verdict",
    "col_parties": "Parties",
    "h_changes": "Change since {previous}",
    "h_changes_none": "Change",
    "changes_first_round": "Round {round} is the first: change shows from the next round on.",
    "col_change": "Change",
    "col_effect": "Effect",
    "significant_up": "significantly higher",
    "significant_down": "significantly lower",
    "note_changes": (
        "Change since {previous} over the questions both rounds asked. Significant: p below "
        "0.05, tested on every respondent of both rounds, those who answered both times as "
        "pairs (a permutation test; for the partnership within each party). Effect: Cohen's d, "
        "in words by his rules of thumb (0.2 small, 0.5 medium, 0.8 large)."
    ),
    "h_response": "Response per party",
    "col_party": "Party",
    "col_received": "Received",
    "col_kept": "Kept",
    "col_excluded": "Excluded",
    "col_invited": "Invited",
    "col_rate": "Response",
    "total": "Total",
    "note_response": (
        "Response: questionnaires kept as a share of the staff invited (from partnership.toml)."
    ),
    "note_response_no_invited": (
        "The response rate is shown when partnership.toml gives the number invited per party "
        "(invited)."
    ),
    # 2. parties
    "parties_none": "No party has {k} or more respondents: every party figure is hidden",
    "parties_widest": "The parties lie furthest apart on {dim} ({lo} to {hi})",
    "parties_lowest": "the lowest score is {party} on {dim} ({v})",
    "fig_heat_title": "Lowest: {party} on {dim} ({v}); highest: {party2} on {dim2} ({v2})",
    "hover_mean": "Mean",
    "hover_interval": "95% interval",
    "suppressed_cell": "n < {k}",
    "hidden_cell": "hidden",
    "hover_suppressed": "not shown: fewer than {k} respondents",
    "hover_hidden": "not shown: a smaller group could otherwise be derived",
    "colorbar": "Mean",
    "col_favourable": "% favourable answers",
    "note_heat": (
        "Number in a cell: that party's mean on that dimension (1–5); orange is low, blue is "
        "high, white is 3. Hover for n and the 95% interval. Grey: not shown, because fewer "
        "than {k} respondents answered (n < {k}); the partnership's figures count the parties "
        "shown only. Respondents per party: {counts}."
    ),
    # 3. shines and chafes
    "chafes_one": "chafes",
    "chafes_many": "chafe",
    "friction_mostly_at": ", mostly at {parties}",
    "friction_at_n": ", at {n} parties",
    "friction_none": "No difference between the partners chafes; {area} shines most ({v})",
    "friction_no_data": "No data on where it shines and chafes in this round",
    "friction_by_statements": "‘{best}’ shines most ({v}); ‘{worst}’ chafes most ({w})",
    "h_shine_most": "Statements that shine most",
    "h_chafe_most": "Statements that chafe most",
    "h_divides": "Statements that divide the parties",
    "divides_none": "The parties do not clearly differ on any statement.",
    "divides_more": "The {k} with the widest spread of the {n} statements that divide.",
    "col_statement": "Statement",
    "col_score": "Score",
    "col_spread": "Spread",
    "col_verdict": "Verdict",
    "verdict_shines": "shines",
    "verdict_attention": "needs attention",
    "verdict_chafes": "chafes",
    "verdict_divides": "divides",
    "verdict_spread": "apart",
    "reverse_mark": "(reversed)",
    "note_verdicts": (
        "Score: mean of the party means (1–5), after reversing negatively worded statements "
        "(reversed), so higher is always better. Spread: highest minus lowest party mean. "
        "Divides: the parties differ significantly (Kruskal-Wallis, Holm-adjusted). Apart: the "
        "parties lie a point or more apart, which with these numbers may be chance."
    ),
    "h_friction": "Where the differences between the partners shine and chafe",
    "fig_friction_title": "{area} chafes most at {party} ({v}); {area2} shines most at "
    "{party2} ({v2})",
    "col_area": "Difference",
    "colorbar_friction": "−2 chafes, +2 shines",
    "pct_chafes": "% chafes",
    "pct_shines": "% shines",
    "note_friction": (
        "Mean on a scale from −2 (chafes strongly) to +2 (shines strongly); orange chafes, blue "
        "shines. The Partnership row is the mean of the party means shown. Grey: not shown "
        "(fewer than {k} respondents)."
    ),
    "h_comments": "Open answers",
    "comments_not_collected": "No open answers were collected in this round",
    "comments_empty": "Nobody gave an open answer in this round",
    "comments_rule": (
        "Open answers are shown per party for parties with {m} or more respondents. The answers "
        "of smaller parties are pooled, without party or level, under ‘Other parties "
        "together’. Names, e-mail addresses, phone numbers, links, IBANs, IP addresses and "
        "citizen service numbers are left out."
    ),
    "comments_pool": "Other parties together",
    "comments_group": "{group} ({n} answers)",
    "comments_capped": "{k} of the {n} answers, a fixed choice; every answer is in the comments "
    "table.",
    "comments_pooled_party": (
        "The open answers of {party} are not shown apart in this report, because fewer than {m} "
        "people of {party} answered (or a smaller party could otherwise be recognised). They "
        "are with the partnership's answers, without the party's name."
    ),
    "comments_none_party": "Nobody at {party} gave an open answer.",
    # 4. trends
    "trends_first_round": "Round {round} is the first: trends follow from the next round on",
    "trends_none": "No dimension can be shown in more than one round",
    "trends_rise": "since {since}, {dim} rose most for {who} ({a} → {b})",
    "trends_fall": "{dim} fell most ({a} → {b})",
    "trends_flat": "Since {since}, the scores of {who} stayed about the same",
    "trends_need_two": "A trend shows from the second round on.",
    "note_trends": (
        "Mean per round ({rounds}). Black line: the partnership (party means weigh equally); "
        "coloured lines: parties (click the legend to hide a party). A gap: fewer than {k} "
        "respondents that round. Dotted lines: the bounds of shining and chafing."
    ),
    # 5. statements
    "statements_title": "{who}: most agreement with ‘{most}’ ({p}), most disagreement with "
    "‘{least}’ ({q})",
    "statements_none": "{who}: no statements to show",
    "dont_know": "Don't know",
    "dont_know_short": "Don't know",
    "no_answers": "no answers",
    "answered": "answered (without don't know)",
    "axis_statements": "% disagree ← → % agree (neutral in the middle)",
    "note_statements": (
        "Per statement the answers of those who answered it: disagreeing to the left, agreeing "
        "to the right, neutral in the middle. ‘Don't know’ is shown apart on the right, as a "
        "share of everyone asked, and is not part of the percentages. (reversed): a negatively "
        "worded statement, where agreeing is unfavourable. Hover for n."
    ),
    "note_dropdown": "Choose the partnership or a party at the top right.",
    "note_dropdown_hidden": (
        "{parties} are not in the list: fewer than {k} respondents, or could otherwise be derived."
    ),
    "table_caption_statements": "Table for this figure ({who})",
    # 6. levels
    "levels_none": "No data per level in this round",
    "levels_alike": "Board, management and operations see the collaboration about the same",
    "levels_gap": "The levels lie furthest apart on {dim}: {high} {a} against {low} {b}",
    "levels_significant": " (significant)",
    "col_level": "Level",
    "note_levels": (
        "Mean per level in the organisation, all parties together; the grey line runs from the "
        "lowest to the highest level. Hover for n and the 95% interval. A level with fewer than "
        "{k} respondents is not shown."
    ),
    "note_levels_hidden": "Not shown: {cells}.",
    "levels_one": (
        "Only {levels} has {k} or more respondents per dimension; there is no comparison "
        "between levels"
    ),
    "levels_party_hidden": (
        "Per level the figures of {party} are hidden: fewer than {k} respondents per level"
    ),
    "note_levels_party": (
        "Mean per level at {party}; the grey line runs from the lowest to the highest level. "
        "Hover for n and the 95% interval. A level with fewer than {k} respondents is not "
        "shown, and where that would give it away, the next smallest is not shown either."
    ),
    # 7. give and take
    "give_take_none": "No data on give and take in this round",
    "give_take_balanced": "Give and take is about in balance for every party shown",
    "give_take_brings_more": "{party} puts in more than it gets back ({b} against {g})",
    "give_take_gets_more": "{party} gets back more than it puts in ({g} against {b})",
    "axis_brings": "Puts in",
    "axis_gets": "Gets back",
    "balance": "balance",
    "gets_more": "gets back more than it puts in",
    "brings_more": "puts in more than it gets back",
    "note_give_take": (
        "Per party the mean on ‘{brings}’ (across) and ‘{gets}’ (up), 1–5. On the dashed line "
        "putting in and getting back are in balance."
    ),
    "note_give_take_hidden": "{parties} are not in the figure: fewer than {k} respondents.",
    # 8. drivers
    "drivers_none": "No data on what relates to results in this round",
    "relates_one": "relates",
    "relates_many": "relate",
    "drivers_heading": "{dims} {verb} most strongly to {outcome}",
    "axis_rho": "Relation with the results (Spearman's rho)",
    "note_drivers": (
        "Spearman's rank correlation between each dimension and {outcome}, within the parties "
        "(each score against its own party's mean), over respondents with both scores "
        "(n = {n}). 0 is no relation, 1 a perfect one. A relation is not a cause: "
        "it says where improvement goes together most with better results."
    ),
    # 9. method and data quality
    "method_reliable_all": "Every scale is reliable (alpha {lo} to {hi})",
    "method_reliable_none": "Reliability could not be computed",
    "method_reliable_some": "{good} of the {total} scales are reliable (alpha {t} or higher)",
    "method_excluded": "{x} of the {n} questionnaires received excluded",
    "h_reliability": "Reliability of the scales",
    "col_items": "Items",
    "col_complete": "Complete responses",
    "col_alpha": "Cronbach's alpha",
    "col_alpha_interval": "95% interval (Feldt)",
    "col_flag": "Remark",
    "alpha_low": "below {t}",
    "alpha_na": "cannot be computed",
    "note_reliability": (
        "Cronbach's alpha shows how consistently the items of a dimension hang together, "
        "computed over the respondents who answered every item of that dimension, with Feldt's "
        "interval. Below {t} the dimension score is less reliable; read it with care."
    ),
    "item_reliability_caption": "Per statement: relation with the rest and alpha without it",
    "col_item_rest": "Item-rest r",
    "col_alpha_deleted": "Alpha without this statement",
    "note_item_reliability": (
        "Item-rest r: correlation of the statement with the sum of the other statements of the "
        "dimension. Orange: alpha would be higher without this statement."
    ),
    "h_tests": "Differences tested",
    "col_comparison": "Comparison",
    "col_p_adjusted": "p (adjusted)",
    "col_pair": "Pair",
    "comparison_parties": "between parties",
    "comparison_levels": "between levels",
    "pairs_caption": (
        "Pairwise: {s} of the {n} comparisons significant; per dimension the {k} with the "
        "largest effect"
    ),
    "effect_none": "negligible",
    "effect_small": "small",
    "effect_medium": "medium",
    "effect_large": "large",
    "note_tests": (
        "Kruskal-Wallis across the parties (or levels) shown, with epsilon-squared (ε²) as the "
        "effect size; pairwise Mann-Whitney with the rank-biserial r. p-values are "
        "Holm-adjusted (the pairs across all pairs of the round, the main tests across the "
        "dimensions). Effect "
        "in words by Cohen's rules of thumb: r from 0.1 small, 0.3 medium, 0.5 large; ε² from "
        "0.01 small, 0.06 medium, 0.14 large; below that negligible."
    ),
    "h_log": "Exclusions and events",
    "col_check": "Check",
    "col_action": "Action",
    "col_count": "Count",
    "log_empty": "No events: every response received was used unchanged.",
    "log_details_all": "Show all {n} events",
    "log_details_capped": "Show the first {k} of {n} events",
    "log_full": "The full log is in quality_log.csv next to the processed tables.",
    "col_file": "File",
    "col_row": "Row",
    "col_detail": "Detail",
    "check_empty_response": "Empty questionnaire",
    "check_duplicate": "Duplicate submission",
    "check_identifiers_removed": "Identifying data removed",
    "check_same_identifier": "Same person answered again later",
    "check_identical_answers": "Same answers as another submission (kept)",
    "check_no_party": "No organisation given",
    "check_not_submitted": "Not submitted",
    "check_speeder": "Answered far too fast",
    "check_straightliner": "Same answer everywhere",
    "check_too_few_items": "Too few questions answered",
    "action_excluded": "excluded",
    "action_changed": "changed",
    "action_flagged": "flagged",
    "h_method": "How this report was made",
    "method_text": (
        "The partnership score is the mean of the party means: every party weighs equally. "
        "‘Don't know’ never counts as a score. A group with fewer than {k} respondents is not "
        "shown, and where that would give one group away, the next smallest is not shown "
        "either. Open answers are shown per party from {m} respondents. This report holds "
        "aggregates only and works offline."
    ),
    "generated_at": "Generated at",
    "instrument_version": "Questionnaire",
    "h_inputs": "Input files",
    "col_tool": "Recognised as",
    "col_rows": "Rows",
    "col_sha": "SHA-256",
    "h_instrument": "Questionnaire",
    "col_version": "Version",
    "h_settings": "Settings",
    "col_setting": "Setting",
    "col_value": "Value",
    "h_software": "Software",
    "col_package": "Package",
    "trends_party_title": "Since {since}, {party} {verb} most, on {dim} ({a} → {b})",
    "trends_rose": "rose",
    "trends_fell": "fell",
    "party_trends_hidden": "The trends of {party} are hidden; these are the partnership's",
    "statements_heading": (
        "{who}: more than half agree with {agree} of the {total} statements, more than half "
        "disagree with {disagree}"
    ),
    "levels_title": "{level} scores highest on {k} of the {m} dimensions",
    "give_take_title": "{party} puts in most ({b}); {party2} gets back most ({g})",
    "drivers_title": "{dim} relates least to {outcome} (rho {v})",
    "profile_highest": "{party} scores highest of all parties on {dims}",
    "profile_lowest": "{party} scores lowest of all parties on {dims}",
    "profile_lowest_too": "lowest on {dims}",
    "profile_within": "{party} lies within the range of the other parties on every dimension",
    "party_friction_title": "{party} differs most from the partnership on {area} ({v} against {p})",
    "party_friction_partnership": "The differences between the partners in the partnership",
    # party report
    "party_hidden_heading": "The figures of {party} are hidden; these are the partnership's",
    "party_hidden_small": (
        "Fewer than {k} people of {party} answered. To protect them, the figures of {party} "
        "are hidden; this report shows the partnership's figures only."
    ),
    "party_partnership_only": "The partnership per dimension",
    "note_party_partnership_only": (
        "Bar: mean of the party means, every party weighs equally; diamond: mean over all "
        "respondents."
    ),
    "party_high_low": "{party} scores highest on {hi} ({hi_v}) and lowest on {lo} ({lo_v})",
    "party_above": "; above the partnership on {above} of the {total} dimensions, below on {below}",
    "legend_range": "other parties (lowest to highest)",
    "legend_partnership": "partnership (parties weigh equally)",
    "axis_friction": "−2 chafes strongly … +2 shines strongly",
    "col_others": "Other parties",
    "h_party_table": "Table",
    "note_profile": (
        "Blue dot: {party}. Black diamond: the partnership (mean of the party means). Grey bar: "
        "from the lowest to the highest of the other parties shown. A group with fewer than "
        "{k} respondents is not shown."
    ),
    "party_partly_hidden": "Not shown for {dims}: fewer than {k} respondents.",
    "party_friction_chafes": "{areas} {verb} at {party} ({v}; partnership {p})",
    "party_friction_none": "At {party} none of the differences chafes; {area} shines most ({v})",
    "note_party_friction": (
        "Blue dot: {party}; black diamond: the partnership; grey bar: the other parties shown, "
        "lowest to highest. Scale from −2 (chafes strongly) to +2 (shines strongly). Fewer than "
        "{k} respondents: not shown."
    ),
    "h_party_best": "Statements on which {party} scores highest",
    "h_party_worst": "Statements on which {party} scores lowest",
    "note_party_statements": (
        "Score 1–5 after reversing negatively worded statements, so higher is always better."
    ),
    "party_comments_heading": "{n} open answers from {party}",
    "party_comments_pooled_heading": "The open answers of {party} are with the partnership's",
    "party_method_heading": "Only groups of {k} or more respondents are shown",
    "party_method_text": (
        "The figures come from the same tables as the steering group report. The partnership is "
        "the mean of the party means. The other parties appear only as a range, without names. "
        "A group with fewer than {k} respondents is not shown; the party's open answers are "
        "shown from {m} respondents."
    ),
    "party_method_link": "Method, reliability and data quality: see the steering group report",
}

#: The report's own words by language.
TEXT: dict[str, dict[str, str]] = {"nl": _NL, "en": _EN}
