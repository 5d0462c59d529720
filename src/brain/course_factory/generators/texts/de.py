"""Deutsche Texte des Vorlagen-Generators (German texts of the template generator)."""

from __future__ import annotations

from brain.course_factory.content import Audience
from brain.course_factory.generators.texts.model import (
    CourseTexts,
    Fact,
    LanguagePack,
    LessonText,
    ModuleText,
    Persona,
    Words,
)

WORDS = Words(
    code="de",
    lq="„",
    rq="“",
    inner_lq="\u201a",
    inner_rq="\u2018",
    colon=":",
    lowercase_step=False,
    and_="und",
    untitled="dieser Kurs",
    intro="Diese Lektion gehört zum Modul {module} des Kurses {course}. {summary}",
    audience_line="Geschrieben für: {audiences}.",
    key_heading="Der Kerngedanke",
    background_heading="Hintergrund",
    example_heading="Beispiel: {name}",
    checklist_heading="Checkliste",
    tips_heading="Tipps für Ihre Situation",
    summary_heading="Zusammenfassung",
    summary_text="Kurz gesagt: {summary} Ihr erster Schritt: {step}.",
    next_lesson="Nächste Lektion: {title}.",
    module_done="Damit ist das Modul {module} abgeschlossen.",
    course_done="Das war die letzte Lektion des Kurses. Herzlichen Glückwunsch!",
    description_label="Aus der Kursbeschreibung:",
    key_fallback=(
        "{summary} Diese Lektion erklärt den Gedanken Schritt für Schritt, zeigt, was er in der "
        "Praxis bedeutet, und endet mit einer Checkliste, die Sie sofort abarbeiten können."
    ),
    background_fallback=(
        "Im Modul {module} geht es um Folgendes: {module_summary}",
        "Lesen Sie die Lektion einmal für den Überblick und ein zweites Mal mit Blick auf Ihre "
        "eigene Situation, und notieren Sie die Punkte, die für Sie gelten.",
    ),
    checklist_fallback=(
        "Den Kerngedanken dieser Lektion in einem Satz aufschreiben",
        "Eine offene Frage notieren",
        "Einen Schritt für diese Woche festlegen",
        "Die Lektion in einigen Tagen noch einmal durchgehen",
    ),
    example_fallback=(
        "{name}, {who}, liest die Lektion {lesson} mit einer konkreten Frage im Kopf und hält "
        "die Antwort in zwei Sätzen fest. Eine Woche später probiert {name} die nützlichste Idee "
        "aus und notiert, was sich verändert hat. Diese kurze Notiz ist die beste Vorbereitung "
        "auf die nächste Lektion."
    ),
    lesson_question="Welche Aussage beschreibt die Lektion {title}?",
    lesson_explanation="Die Lektion {title} im Modul {module} behandelt Folgendes: {summary}",
    module_question="In welchem Modul steht die Lektion {title}?",
    module_option="Modul {number}: {title}",
    module_explanation=(
        "Die Lektion {title} ist Lektion {lesson_number} von Modul {number}, {module}."
    ),
    hero_facts="{modules} Module, {lessons} Lektionen",
    hero_audience="Für {audiences}",
    benefits_heading="Was Sie lernen",
    audience_heading="Für wen dieser Kurs ist",
    curriculum_heading="Lehrplan",
    curriculum_body=(
        "{modules} Module mit {lessons} Lektionen, jede mit einem Beispiel, einer Checkliste und "
        "einer Zusammenfassung, und zum Abschluss ein Quiz."
    ),
    curriculum_item="Modul {number}: {title} ({count} Lektionen)",
    faq_heading="Häufige Fragen",
    faq_duration=(
        "Wie lange dauert der Kurs?",
        "{lessons} Lektionen zu je etwa fünfzehn Minuten; das Tempo bestimmen Sie selbst.",
    ),
    cta_heading="Jetzt mit dem Lernen beginnen",
    cta_body="Melden Sie sich jetzt an und schließen Sie Ihre erste Lektion in weniger als "
    "fünfzehn Minuten ab.",
)

AUDIENCES = {
    Audience.PRIVATE_INDIVIDUALS: "Privatpersonen",
    Audience.EMPLOYEES: "Angestellte",
    Audience.SELF_EMPLOYED: "Selbstständige",
    Audience.STUDENTS: "Studierende",
    Audience.RETIREES: "Menschen im Ruhestand",
    Audience.SMALL_BUSINESSES: "Kleinunternehmen",
    Audience.PUBLIC_SECTOR: "Beschäftigte im öffentlichen Dienst",
}

PERSONAS = {
    Audience.PRIVATE_INDIVIDUALS: Persona(
        "Jonas", "der einen lebhaften Haushalt mit zwei Kindern organisiert"
    ),
    Audience.EMPLOYEES: Persona("Anna", "Pflegefachkraft in Vollzeit mit wechselnden Schichten"),
    Audience.SELF_EMPLOYED: Persona(
        "Marco", "selbstständiger Grafikdesigner mit Kundschaft in mehreren Ländern"
    ),
    Audience.STUDENTS: Persona("Lea", "Studentin mit einem Nebenjob"),
    Audience.RETIREES: Persona(
        "Helga", "die nach vierzig Jahren als Lehrerin im letzten Jahr in Rente gegangen ist"
    ),
    Audience.SMALL_BUSINESSES: Persona("Priya", "die eine Bäckerei mit drei Angestellten führt"),
    Audience.PUBLIC_SECTOR: Persona(
        "Thomas", "der in der Verwaltung einer mittelgroßen Stadt arbeitet"
    ),
}

BANKING = CourseTexts(
    modules=(
        ModuleText(
            key="fees",
            title="Ihre Bank, Ihre Kosten und die Alternativen",
            summary=(
                "„{course}“ beginnt mit einem ehrlichen Blick darauf, was Ihr Girokonto kostet "
                "und welche Anbieter mit den klassischen Banken konkurrieren."
            ),
            background=(
                "Klassische Banken finanzieren Filialen und Personal über Kontoentgelte, "
                "Zinsmargen und den Verkauf von Produkten wie Fonds oder Versicherungen. Das ist "
                "nicht verwerflich, bedeutet aber, dass Sie womöglich für Leistungen zahlen, die "
                "Sie nie nutzen.",
                "Die Alternativen sind spezialisiert: Manche sind günstiger, weil sie ohne "
                "Filialen auskommen, andere kosten etwas mehr, geben Ihnen aber ein Stimmrecht "
                "oder eine klare ethische Kreditpolitik. Die richtige Wahl hängt davon ab, was "
                "Ihr Geld leisten soll.",
            ),
            checklist=(
                "Die jährliche Entgeltaufstellung herunterladen",
                "Jede vermeidbare Gebühr markieren",
                "Die Bankleistungen auflisten, die Sie jeden Monat nutzen",
                "Notieren, was Ihnen ohne Filiale fehlen würde",
            ),
            example=(
                "{name}, {who}, rechnet zum ersten Mal die Bankgebühren des letzten Jahres "
                "zusammen: eine monatliche Kontoführungsgebühr, eine Kartengebühr, Gebühren für "
                "Bargeld an fremden Automaten und ein Entgelt für eine Zahlung in "
                "Fremdwährung. Die Summe ist weit höher, als die Monatsgebühr allein vermuten "
                "ließ. Mit dieser Zahl kann {name} jetzt beurteilen, ob ein anderes Angebot "
                "wirklich Geld spart."
            ),
            lessons=(
                LessonText(
                    "Was Ihr Girokonto wirklich kostet",
                    "Kontoführung, Kartengebühren, Dispozinsen und Fremdwährungsentgelte "
                    "summieren sich; Sie lernen, alle zu finden.",
                    "Die monatliche Kontoführungsgebühr kennen die meisten, den Rest nicht. "
                    "Kartengebühren, Entgelte für Papierauszüge, Dispozinsen, Gebühren an "
                    "fremden Automaten und Aufschläge auf Zahlungen in Fremdwährung kosten oft "
                    "mehr als das Konto selbst. Die jährliche Entgeltaufstellung, die Banken in "
                    "der EU Ihnen geben müssen, listet alles auf, was Sie im vergangenen Jahr "
                    "bezahlt haben.",
                ),
                LessonText(
                    "Die Landkarte der Alternativen",
                    "Neobanken, Genossenschaftsbanken, ethische Banken, Online-Broker und "
                    "Bezahl-Apps: wer sie sind und was sie tun.",
                    "Alternativen zur klassischen Bank lassen sich in wenige Gruppen einteilen. "
                    "Neobanken sind App-Banken, meist ohne Filialen. Genossenschaftsbanken und "
                    "Kreditgenossenschaften gehören ihren Mitgliedern. Ethische Banken vergeben "
                    "Kredite nur an Projekte mit sozialem oder ökologischem Zweck. Online-Broker "
                    "ermöglichen günstiges Anlegen, und Bezahl-Apps bewegen Geld zwischen "
                    "Menschen und Geschäften. Viele kombinieren zwei oder drei davon.",
                ),
                LessonText(
                    "Ein Preisverzeichnis lesen",
                    "Wie Sie Preisaushang und standardisierte Entgeltinformation lesen und "
                    "Angebote Zeile für Zeile vergleichen.",
                    "In der EU muss jede Bank für ihre Zahlungskonten eine Entgeltinformation "
                    "mit einheitlichen Begriffen veröffentlichen, damit sich Angebote Zeile für "
                    "Zeile vergleichen lassen. Schauen Sie zuerst auf die Monatsgebühr, dann auf "
                    "die Bedingungen dazu, etwa einen monatlichen Mindesteingang, und zuletzt "
                    "auf die Preise der Leistungen, die Sie tatsächlich nutzen.",
                ),
                LessonText(
                    "Welche Leistungen Sie wirklich brauchen",
                    "Gehalt, Karten, Bargeld, Sparen, Anlegen, geschäftliche Nutzung: eine kurze "
                    "Bestandsaufnahme dessen, was Ihr Geld leisten muss.",
                    "Bevor Sie Anbieter vergleichen, halten Sie fest, was Ihre Konten leisten "
                    "müssen: Einkommen empfangen, Miete und Rechnungen zahlen, Bargeld "
                    "bereitstellen, Ersparnisse aufnehmen, vielleicht anlegen oder "
                    "Geschäftliches trennen. Ein Angebot, das für reine Kartenzahler günstig "
                    "ist, kann für jemanden teuer sein, der oft Bargeld oder eine Filiale "
                    "braucht.",
                ),
                LessonText(
                    "Kostenlos ist nicht immer kostenlos",
                    "Bedingungen, Pakete und Zusatzverkäufe: wie kostenlose Konten bezahlt "
                    "werden und wann sie es nicht mehr sind.",
                    "Ein kostenloses Konto wird irgendwie bezahlt: über Bedingungen wie einen "
                    "Mindestgeldeingang, über kostenpflichtige Premium-Modelle, über Zinsmargen "
                    "oder über den Verkauf anderer Produkte. Lesen Sie nach, was passiert, wenn "
                    "Sie die Bedingungen nicht erfüllen, denn viele kostenlose Konten verlangen "
                    "dann eine Monatsgebühr.",
                ),
            ),
        ),
        ModuleText(
            key="digital",
            title="Neobanken und Bezahl-Apps",
            summary="Wie App-Banken und Bezahl-Apps funktionieren, was sie kosten und wo ihre "
            "Grenzen liegen.",
            background=(
                "Digitale Anbieter sparen die Kosten für Filialen und geben einen Teil davon "
                "als niedrige Gebühren und schnelle, gut gemachte Apps weiter. "
                "Echtzeit-Benachrichtigungen, Ausgabenkategorien und das sofortige Sperren der "
                "Karte sind Standard.",
                "Der Preis dafür ist weniger persönliche Betreuung, gelegentlich gesperrte "
                "Konten während Compliance-Prüfungen und bei manchen Anbietern ein geringerer "
                "Schutz, weil sie keine Banken sind.",
            ),
            checklist=(
                "Prüfen, ob der Anbieter eine Vollbanklizenz hat",
                "Das kostenlose Modell mit den Premium-Modellen vergleichen",
                "Den Kundenservice testen, bevor das Gehalt umzieht",
                "Ein zweites Konto mit Karte als Reserve behalten",
            ),
            example=(
                "{name}, {who}, eröffnet ein kostenloses Konto bei einer Neobank und nutzt es "
                "zunächst nur für alltägliche Kartenzahlungen. Nach zwei Monaten ohne Probleme "
                "und mit einem klaren Überblick über alle Ausgaben in der App lässt {name} das "
                "regelmäßige Einkommen dorthin überweisen, behält aber das alte Konto mit einem "
                "kleinen Guthaben und dessen Karte als Reserve."
            ),
            lessons=(
                LessonText(
                    "Was eine Neobank ist",
                    "Banken, die in einer App leben: Lizenz, Funktionen und der Unterschied zur "
                    "klassischen Bank.",
                    "Eine Neobank bietet Girokonten über eine App an, meist ohne Filialen. "
                    "Manche haben eine Vollbanklizenz, andere sind E-Geld-Institute oder "
                    "arbeiten mit einer Partnerbank, die die Lizenz hält. Das ist wichtig, denn "
                    "nur Einlagen bei einer zugelassenen Bank fallen unter die gesetzliche "
                    "Einlagensicherung.",
                ),
                LessonText(
                    "Kontoeröffnung per Video oder App",
                    "Identitätsprüfung, Unterlagen und was Sie in den ersten Tagen eines neuen "
                    "digitalen Kontos erwartet.",
                    "Digitale Banken prüfen Ihre Identität per Videoanruf, mit einem Foto des "
                    "Ausweises und einem Selfie oder mit der Online-Ausweisfunktion. Halten Sie "
                    "Ausweis, gegebenenfalls Steuer-ID und eine stabile Internetverbindung "
                    "bereit. Die Karte kommt meist innerhalb weniger Tage per Post; eine "
                    "virtuelle Karte funktioniert oft sofort.",
                ),
                LessonText(
                    "Bezahl-Apps und Wallets",
                    "Mobile Wallets, Zahlungen zwischen Personen und Echtzeitüberweisungen: "
                    "bequem, aber wo liegt das Geld?",
                    "Bezahl-Apps und mobile Wallets machen Bezahlen und Geldsenden sehr schnell. "
                    "Manche leiten Zahlungen nur an Ihre Bankkarte weiter, andere führen ein "
                    "eigenes Guthaben. Ein Guthaben bei einem E-Geld-Institut wird gesichert, "
                    "also getrennt vom Geld des Unternehmens verwahrt, fällt aber nicht unter "
                    "die Einlagensicherung.",
                ),
                LessonText(
                    "Kundenservice, Störungen und gesperrte Konten",
                    "Was zu tun ist, wenn die App ausfällt, die Karte gesperrt ist oder der "
                    "Service nur per Chat antwortet.",
                    "Ohne Filiale läuft der Service über Chat, E-Mail oder Telefon. Konten "
                    "werden manchmal für Prüfungen zur Geldwäscheprävention gesperrt, "
                    "gelegentlich tagelang. Behalten Sie ein zweites Konto mit Karte bei einem "
                    "anderen Anbieter, damit Sie Miete und Einkäufe auch dann bezahlen können, "
                    "wenn ein Konto nicht verfügbar ist.",
                ),
                LessonText(
                    "Die Kosten digitaler Konten",
                    "Kostenlose Modelle, Premium-Modelle, Bargeldlimits und Währungstausch: der "
                    "echte Preis eines App-Kontos.",
                    "Die meisten Neobanken haben ein kostenloses Modell mit Grenzen, etwa "
                    "wenigen freien Bargeldabhebungen im Monat, und Premium-Modelle mit "
                    "Monatsgebühr. Vergleichen Sie die Gebühren für Bargeld, für Fremdwährungen "
                    "und für eine Ersatzkarte, nicht nur den beworbenen Preis.",
                ),
            ),
        ),
        ModuleText(
            key="community",
            title="Genossenschaftsbanken und ethische Banken",
            summary="Banken im Besitz ihrer Mitglieder und wertorientierte Banken: wie sie "
            "funktionieren, was sie bieten und worauf Sie achten sollten.",
            background=(
                "Kreditgenossenschaften, Genossenschaftsbanken und ethische Banken stellen "
                "etwas anderes als den maximalen Gewinn an die erste Stelle: ihre Mitglieder, "
                "ihre Region oder den Zweck ihrer Kredite. Viele legen offener dar, wie sie "
                "Einlagen verwenden, als große Banken.",
                "Sie sind meist kleiner und können etwas teurer sein. Dafür erhalten Sie als "
                "Mitglied eine Stimme und die Gewissheit, dass Ihr Geld keine Geschäfte "
                "finanziert, die Sie ablehnen.",
            ),
            checklist=(
                "Die Kredit- und Ausschlusskriterien der Bank lesen",
                "Den Preis des Genossenschaftsanteils prüfen",
                "Herausfinden, welche Geldautomaten kostenlos sind",
                "Fragen, ob die Bank alle Produkte anbietet, die Sie brauchen",
            ),
            example=(
                "{name}, {who}, möchte, dass das Geld auf dem Konto erneuerbare Energien "
                "finanziert und keine Kohle. {name} vergleicht zwei ethische Banken und eine "
                "Genossenschaftsbank, liest ihre veröffentlichten Kreditlisten und wählt die "
                "Bank, deren Kredite zu diesen Werten passen, auch wenn sie einige Euro "
                "Monatsgebühr kostet."
            ),
            lessons=(
                LessonText(
                    "Im Besitz der Mitglieder: Genossenschaftsbanken",
                    "Wie Mitgliedschaft funktioniert, was ein Genossenschaftsanteil ist und "
                    "warum Gewinn nicht das einzige Ziel ist.",
                    "Kreditgenossenschaften und Genossenschaftsbanken gehören ihren "
                    "Mitgliedern. Wer beitritt, zeichnet meist einen oder mehrere Anteile und "
                    "erhält eine Stimme in der Generalversammlung, in der Regel eine Stimme pro "
                    "Mitglied, unabhängig von der Zahl der Anteile. Gewinne fließen in "
                    "Rücklagen, bessere Konditionen oder eine Dividende für die Mitglieder statt "
                    "an externe Aktionäre.",
                ),
                LessonText(
                    "Was ethische Banken mit Ihrem Geld machen",
                    "Transparente Kreditvergabe, Ausschlusskriterien und wie Sie die Aussagen "
                    "einer Bank prüfen.",
                    "Ethische Banken verleihen Einlagen an Projekte wie erneuerbare Energien, "
                    "Wohnen, Bildung oder ökologische Landwirtschaft und schließen Branchen wie "
                    "Waffen oder Kohle aus. Viele veröffentlichen jeden Kredit, den sie "
                    "vergeben. Prüfen Sie die veröffentlichte Kreditliste und die "
                    "Ausschlusskriterien, statt sich auf Werbewörter wie grün oder fair zu "
                    "verlassen.",
                ),
                LessonText(
                    "Leistungen und Grenzen kleinerer Banken",
                    "Filialen, Apps, Geldautomaten und Produkte: was eine kleinere Bank bieten "
                    "kann und was nicht.",
                    "Kleinere Banken haben oft weniger Filialen und eine einfachere App, dafür "
                    "persönliche Beratung und Entscheidungen vor Ort. Prüfen Sie, welches "
                    "Automatennetz Sie kostenlos nutzen können, ob die App Echtzeitüberweisungen "
                    "und mobile Wallets unterstützt und ob die Bank die Produkte anbietet, die "
                    "Sie brauchen, etwa ein Geschäftskonto oder eine Baufinanzierung.",
                ),
                LessonText(
                    "Genossenschaftsanteile und Gebühren",
                    "Warum Sie womöglich einen Anteil oder eine Monatsgebühr zahlen und wie das "
                    "im Vergleich zu kostenlosen Konten aussieht.",
                    "Ethische Banken und Genossenschaftsbanken verlangen oft eine monatliche "
                    "Kontogebühr, und manche setzen einen Genossenschaftsanteil voraus. Der "
                    "Anteil ist keine Gebühr: Er ist Kapital, das Sie beim Austritt in der Regel "
                    "zurückerhalten. Er kann aber an Wert verlieren, wenn die Bank Verluste "
                    "macht, und anders als Ihre Einlagen ist er nicht durch die "
                    "Einlagensicherung geschützt.",
                ),
                LessonText(
                    "Eine Bank wählen, die zu Ihren Werten passt",
                    "Eine einfache Punktemethode, um Werte, Service und Preis gegeneinander "
                    "abzuwägen.",
                    "Schreiben Sie die drei Dinge auf, die Ihnen am wichtigsten sind, zum "
                    "Beispiel keine Kredite für fossile Energien, eine Filiale in der Nähe und "
                    "eine niedrige Gebühr. Bewerten Sie jede Bank auf jedem Punkt von eins bis "
                    "fünf und gewichten Sie die Punkte. Das Ergebnis entscheidet nicht für Sie, "
                    "zeigt aber schnell, welchen Kompromiss Sie eingehen.",
                ),
            ),
        ),
        ModuleText(
            key="brokers",
            title="Online-Broker und Geldanlage",
            summary="Anlegen ohne Filiale: wie Online-Broker funktionieren, was sie kosten und "
            "wie Ihre Wertpapiere geschützt sind.",
            background=(
                "Online-Broker haben das Anlegen günstig und zugänglich gemacht: Viele Orders "
                "kosten einen Euro oder nichts, und Sparpläne beginnen mit kleinen Beträgen. So "
                "lässt sich mit breit gestreuten, günstigen Fonds langfristig Vermögen aufbauen.",
                "Dieselbe Leichtigkeit verleitet dazu, zu oft zu handeln. Kosten, Steuern und "
                "Emotionen schmälern die Rendite, deshalb ist ein einfacher Plan wichtiger als "
                "die Wahl der App.",
            ),
            checklist=(
                "Die Gesamtkosten einer typischen Order vergleichen",
                "Depot- und Währungsgebühren prüfen",
                "Herausfinden, wie der Broker mit Steuern umgeht",
                "Mit einem Sparplan auf einen breiten ETF beginnen",
            ),
            example=(
                "{name}, {who}, hat einen Notgroschen von drei Monatsausgaben auf einem "
                "Tagesgeldkonto und möchte langfristig anlegen. {name} eröffnet ein Depot bei "
                "einem Online-Broker und richtet einen monatlichen Sparplan über 100 Euro auf "
                "einen weltweiten Aktien-ETF ein, ohne den richtigen Zeitpunkt erwischen zu "
                "wollen."
            ),
            lessons=(
                LessonText(
                    "Wie ein Online-Broker funktioniert",
                    "Depot, Verrechnungskonto und Orderweiterleitung: die Grundmechanik eines "
                    "Online-Brokers.",
                    "Ein Online-Broker stellt Ihnen ein Wertpapierdepot und meist ein "
                    "Verrechnungskonto für die Abwicklung bereit. Sie erteilen Orders in der "
                    "App, und der Broker leitet sie an eine Börse oder einen anderen "
                    "Handelsplatz weiter. Ihre Wertpapiere bleiben Ihr Eigentum und werden "
                    "getrennt vom Vermögen des Brokers verwahrt.",
                ),
                LessonText(
                    "Gebühren, Spreads und Rückvergütungen",
                    "Ordergebühren, Depotgebühren, Spreads und warum null Provision nicht null "
                    "Kosten bedeutet.",
                    "Broker verdienen an Ordergebühren, Depotgebühren, Währungstausch, Zinsen "
                    "auf Guthaben und teils an Rückvergütungen, bei denen der Handelsplatz den "
                    "Broker für Ihre Orders bezahlt. Ein Broker ohne Provision kann Sie über "
                    "breitere Spreads trotzdem Geld kosten, vergleichen Sie daher die "
                    "Gesamtkosten einer typischen Order.",
                ),
                LessonText(
                    "Sparpläne mit ETFs",
                    "Regelmäßig in günstige Indexfonds anlegen: wie Sparpläne funktionieren und "
                    "worauf Sie achten sollten.",
                    "Ein Sparplan legt jeden Monat einen festen Betrag, oft schon ab wenigen "
                    "Euro, in einen ETF an, der einen breiten Index abbildet. Regelmäßiges "
                    "Anlegen verteilt Ihre Käufe über die Zeit. Achten Sie auf die laufenden "
                    "Kosten des Fonds, die Gebühr pro Sparrate und darauf, ob der Broker den ETF "
                    "als kostenlosen Sparplan anbietet.",
                ),
                LessonText(
                    "Wie Ihre Wertpapiere geschützt sind",
                    "Sondervermögen, Anlegerentschädigung und der Unterschied zur "
                    "Einlagensicherung.",
                    "Wertpapiere im Depot sind Sondervermögen: Geht der Broker pleite, gehören "
                    "sie nicht zur Insolvenzmasse und werden an Sie oder einen anderen Broker "
                    "übertragen. Guthaben wird anders behandelt und ist nur dann durch die "
                    "Einlagensicherung geschützt, wenn es bei einer Bank liegt. "
                    "Anlegerentschädigungssysteme in der EU decken bestimmte Ansprüche von "
                    "mindestens 20.000 Euro ab, etwa wenn ein Broker Kundenvermögen veruntreut "
                    "hat.",
                ),
                LessonText(
                    "Steuern und Meldepflichten",
                    "Was ein inländischer oder ausländischer Broker für Ihre Steuererklärung "
                    "tut und was Sie selbst erledigen müssen.",
                    "Je nach Land führt ein inländischer Broker die Steuer auf Gewinne und "
                    "Dividenden automatisch ab, während ein ausländischer Broker die Angaben "
                    "Ihnen überlässt. Fragen Sie vor der Depoteröffnung nach einer "
                    "Muster-Steuerbescheinigung und bewahren Sie alle Kaufpreise auf. Im "
                    "Zweifel sprechen Sie mit einer Steuerberatung, bevor Sie ein großes Depot "
                    "übertragen.",
                ),
            ),
        ),
        ModuleText(
            key="safety",
            title="Einlagensicherung und Sicherheit",
            summary="Wie sicher Ihr Geld bei den verschiedenen Anbietern ist und wie Sie Ihre "
            "Konten vor Betrug schützen.",
            background=(
                "Der Schutz unterscheidet sich je nach Anbieter: Die Einlagensicherung gilt für "
                "Banken, Sicherungsvorschriften für E-Geld- und Zahlungsinstitute und die "
                "Trennung des Vermögens für Wertpapiere bei Brokern. Wer weiß, welche Regel "
                "greift, weiß auch, welches Risiko er trägt.",
                "Das meiste Geld geht allerdings nicht durch Bankpleiten verloren, sondern "
                "durch Betrug. Gute Gewohnheiten am Smartphone und ein gesundes Misstrauen "
                "gegenüber dringenden Anrufen und Nachrichten schützen besser als jede "
                "Garantie.",
            ),
            checklist=(
                "Prüfen, wer die Banklizenz hält",
                "Ersparnisse pro Bank unter der Sicherungsgrenze halten",
                "Bildschirmsperre und automatische Updates einschalten",
                "Die Notfallnummer der Bank speichern",
            ),
            example=(
                "{name}, {who}, erhält eine SMS, die scheinbar von der Bank stammt: Das Konto "
                "werde gesperrt, wenn nicht heute noch ein Link geöffnet werde. {name} tippt "
                "den Link nicht an, öffnet direkt die Banking-App, findet dort keine Warnung "
                "und ruft die Nummer auf der Bankkarte an. Die Bank bestätigt, dass es sich um "
                "Phishing handelte."
            ),
            lessons=(
                LessonText(
                    "Wie die Einlagensicherung funktioniert",
                    "Die gesetzliche Einlagensicherung: wer geschützt ist, bis zu welchem "
                    "Betrag und wie schnell ausgezahlt wird.",
                    "In der EU sind Einlagen bei einer zugelassenen Bank durch die gesetzliche "
                    "Einlagensicherung bis 100.000 Euro pro Person und pro Bank geschützt. Fällt "
                    "die Bank aus, zahlt das Sicherungssystem innerhalb von sieben Arbeitstagen. "
                    "Gemeinschaftskonten zählen für jeden Inhaber, und vorübergehend hohe "
                    "Guthaben, etwa nach einem Hausverkauf, können für begrenzte Zeit über die "
                    "Grenze hinaus geschützt sein.",
                ),
                LessonText(
                    "Banken, E-Geld-Institute und Broker im Vergleich",
                    "Welche Regel Ihr Geld wo schützt: Einlagensicherung, Sicherung von "
                    "Kundengeldern und Sondervermögen.",
                    "Bei einer Bank sind Einlagen durch die Einlagensicherung gedeckt. Bei einem "
                    "E-Geld- oder Zahlungsinstitut wird Ihr Geld gesichert: Es muss getrennt "
                    "vom Geld des Unternehmens verwahrt werden, aber kein Sicherungssystem "
                    "zahlt, wenn diese Trennung versagt. Beim Broker sind Wertpapiere "
                    "Sondervermögen, und der Schutz des Guthabens hängt davon ab, wo der Broker "
                    "es verwahrt.",
                ),
                LessonText(
                    "Geld auf mehrere Anbieter verteilen",
                    "Warum und wie Sie größere Beträge aufteilen, damit jeder Euro innerhalb der "
                    "Sicherungsgrenzen bleibt.",
                    "Liegen Ihre Ersparnisse über der Sicherungsgrenze, verteilen Sie sie auf "
                    "mehrere Banken. Die Grenze gilt pro Bank, nicht pro Marke: Zwei Marken "
                    "derselben zugelassenen Bank teilen sich eine Grenze. Den Namen des "
                    "Lizenzinhabers finden Sie im Impressum und im Informationsbogen für "
                    "Einleger, den jede Bank Ihnen geben muss.",
                ),
                LessonText(
                    "Zugang und Smartphone schützen",
                    "Starke Authentifizierung, Gerätesicherheit und Gewohnheiten, die Ihre "
                    "Konten sicher halten.",
                    "Ihre Banking-App ist nur so sicher wie Ihr Smartphone. Nutzen Sie eine "
                    "Bildschirmsperre, halten Sie das System aktuell, installieren Sie Apps nur "
                    "aus dem offiziellen Store und aktivieren Sie die biometrische Anmeldung, wo "
                    "sie angeboten wird. Starke Kundenauthentifizierung bedeutet, dass "
                    "Anmeldungen und Zahlungen zwei unabhängige Faktoren brauchen; bestätigen "
                    "Sie nie eine Anfrage, die Sie nicht selbst ausgelöst haben.",
                ),
                LessonText(
                    "Betrug und Phishing erkennen",
                    "Falsche Anrufe, Nachrichten und Websites: die Muster der Betrüger und was "
                    "nach einem Fehler zu tun ist.",
                    "Betrüger geben sich als Ihre Bank, die Polizei oder ein Paketdienst aus und "
                    "erzeugen Zeitdruck. Ihre Bank fragt nie per Telefon, SMS oder E-Mail nach "
                    "PIN, Passwort oder Bestätigungscode. Sind Sie darauf hereingefallen, rufen "
                    "Sie sofort den Sperr-Notruf Ihrer Bank an, lassen Sie Konto und Karte "
                    "sperren und erstatten Sie Anzeige bei der Polizei.",
                ),
            ),
        ),
        ModuleText(
            key="switching",
            title="Sicher das Konto wechseln",
            summary="Einkommen, Daueraufträge und Lastschriften auf ein neues Konto umziehen, "
            "ohne eine Zahlung zu verpassen.",
            background=(
                "Ein Bankwechsel ist viel einfacher, als viele denken. Die Kontowechselhilfe "
                "überträgt Daueraufträge und Lastschriften und informiert die beteiligten "
                "Unternehmen, und die meisten neuen Anbieter führen Sie in der App durch den "
                "Ablauf.",
                "Das Risiko liegt in vergessenen Zahlungen, etwa einem jährlichen "
                "Versicherungsbeitrag oder einem selten genutzten Abo. Wer beide Konten eine "
                "Weile parallel führt, bemerkt sie, bevor eine Mahngebühr fällig wird.",
            ),
            checklist=(
                "Das neue Konto eröffnen, bevor das alte gekündigt wird",
                "Die Kontowechselhilfe beauftragen",
                "Arbeitgeber oder Rentenkasse die neue IBAN mitteilen",
                "Das alte Konto nach einem Monat ohne Zahlungen schließen",
            ),
            example=(
                "{name}, {who}, beauftragt an einem Samstag die Kontowechselhilfe der neuen "
                "Bank. Innerhalb von zwei Wochen laufen Einkommen, Miete und die meisten "
                "Lastschriften über das neue Konto. In der dritten Woche kommt noch ein "
                "jährlicher Versicherungsbeitrag beim alten Konto an; weil es noch offen ist, "
                "geht die Zahlung durch, und {name} teilt der Versicherung die neue IBAN mit."
            ),
            lessons=(
                LessonText(
                    "Ihr Recht auf Kontowechselhilfe",
                    "Was die Kontowechselhilfe nach EU-Recht für Sie erledigt und welche "
                    "Fristen Banken einhalten müssen.",
                    "Nach der EU-Zahlungskontenrichtlinie muss Ihre neue Bank eine "
                    "Kontowechselhilfe anbieten. Mit Ihrer Ermächtigung fordert sie bei der "
                    "alten Bank die Liste der Daueraufträge, Zahlungseingänge und Lastschriften "
                    "an, richtet sie auf dem neuen Konto ein und kann Zahler und "
                    "Lastschrifteinreicher informieren. Der gesamte Ablauf muss innerhalb von "
                    "etwa dreizehn Geschäftstagen abgeschlossen sein.",
                ),
                LessonText(
                    "Den Wechsel planen",
                    "Ein Zeitplan von der Eröffnung des neuen bis zur Schließung des alten Kontos.",
                    "Eröffnen Sie zuerst das neue Konto und führen Sie beide Konten ein bis zwei "
                    "Monate parallel. Stellen Sie Einkommen und die wichtigsten Lastschriften "
                    "früh im Monat um, nachdem die großen Zahlungen abgegangen sind. Kündigen "
                    "Sie das alte Konto erst, wenn dort keine Zahlungen mehr eingehen und ein "
                    "Dispo ausgeglichen ist.",
                ),
                LessonText(
                    "Daueraufträge, Lastschriften und Einkommen",
                    "Wer Ihre neue IBAN braucht und wie Sie sicherstellen, dass niemand "
                    "vergessen wird.",
                    "Gehen Sie die Kontoauszüge von zwölf Monaten durch und notieren Sie jede "
                    "wiederkehrende Zahlung: Miete, Versicherungen, Energie, Telefon, Abos und "
                    "Steuern. Arbeitgeber, Rentenversicherung und Behörden brauchen Ihre neue "
                    "IBAN für Zahlungseingänge. Im SEPA-Raum darf ein Unternehmen eine IBAN aus "
                    "einem anderen EU-Land nicht ablehnen, was hilft, wenn Sie eine Neobank mit "
                    "Sitz im Ausland wählen.",
                ),
                LessonText(
                    "Das alte Konto schließen",
                    "Kündigen, das Restguthaben übertragen und die Unterlagen sichern, die Sie "
                    "noch brauchen.",
                    "Kündigen Sie das alte Konto schriftlich und geben Sie die neue IBAN für das "
                    "Restguthaben an. Laden Sie die Auszüge der vergangenen Jahre herunter, "
                    "bevor der Zugang endet, denn Sie brauchen sie womöglich für die Steuer oder "
                    "für Streitfälle. Kündigen Sie Karten, Dispo und verbundene Produkte, und "
                    "prüfen Sie, dass nach der Schließung keine Gebühren mehr anfallen.",
                ),
                LessonText(
                    "Ihre Checkliste für den Wechsel",
                    "Eine Checkliste auf einer Seite, um den Wechsel an einem Wochenende zu "
                    "erledigen und einen Monat später zu prüfen.",
                    "Ein guter Wechsel passt in ein Wochenende: Konto eröffnen, "
                    "Kontowechselhilfe beauftragen, die Zahlungen umstellen, die sie nicht "
                    "abdeckt, und eine Erinnerung in vier Wochen setzen. Prüfen Sie nach einem "
                    "Monat, ob alle erwarteten Zahlungen auf dem neuen Konto eingegangen sind "
                    "und vom alten nichts mehr abgebucht wurde.",
                ),
            ),
        ),
    ),
    merged={
        "digital+brokers": (
            "Neobanken, Bezahl-Apps und Online-Broker",
            "Digitale Anbieter für das Alltagsgeld und für die Geldanlage: wie sie "
            "funktionieren, was sie kosten und wo ihre Grenzen liegen.",
        ),
        "safety+switching": (
            "Erst die Sicherheit, dann der Wechsel",
            "Wie Ihr Geld bei jedem Anbieter geschützt ist, wie Sie Ihre Konten sicher halten "
            "und wie Sie sie umziehen, ohne eine Zahlung zu verpassen.",
        ),
    },
    audience_tips={
        Audience.PRIVATE_INDIVIDUALS: "Betrachten Sie den ganzen Haushalt: Ein "
        "Gemeinschaftskonto für gemeinsame Kosten und eigene Konten für persönliche Ausgaben "
        "funktionieren oft gut.",
        Audience.EMPLOYEES: "Ihr Gehaltskonto ist das Zentrum Ihrer Finanzen; ziehen Sie es als "
        "Letztes um, wenn sich das neue Konto bewährt hat.",
        Audience.SELF_EMPLOYED: "Trennen Sie Geschäftliches und Privates. Viele kostenlose "
        "Konten erlauben keine geschäftliche Nutzung, prüfen Sie also die Bedingungen oder "
        "eröffnen Sie ein eigenes Geschäftskonto.",
        Audience.STUDENTS: "Viele Banken bieten Studierenden und Auszubildenden bis zu einem "
        "bestimmten Alter kostenlose Konten an; notieren Sie, wann der kostenlose Zeitraum "
        "endet.",
        Audience.RETIREES: "Wenn Ihnen persönlicher Kontakt wichtig ist, prüfen Sie Filialnähe "
        "und Telefonservice, und denken Sie an eine Vollmacht für eine Vertrauensperson.",
        Audience.SMALL_BUSINESSES: "Achten Sie bei Geschäftskonten auf mehrere Karten, "
        "Zugriffsrechte für Mitarbeitende, eine Anbindung an die Buchhaltung und eine "
        "Möglichkeit, Bargeld einzuzahlen.",
        Audience.PUBLIC_SECTOR: "Prüfen Sie, ob Ihr Dienstherr oder Ihre Gewerkschaft "
        "Vereinbarungen mit bestimmten Banken hat, und teilen Sie der Bezügestelle die neue "
        "IBAN rechtzeitig mit.",
    },
    facts=(
        Fact(
            "safety",
            0,
            "Bis zu welchem Betrag schützt die gesetzliche Einlagensicherung in der EU Einlagen "
            "pro Person und pro Bank?",
            "100.000 Euro",
            ("20.000 Euro", "250.000 Euro", "Den vollen Betrag, ohne Grenze"),
            "Die EU-Regeln legen ein einheitliches Schutzniveau von 100.000 Euro pro Einleger "
            "und pro Bank fest.",
        ),
        Fact(
            "digital",
            2,
            "Eine Bezahl-App führt Ihr Guthaben als E-Geld. Wie ist dieses Geld geschützt?",
            "Es wird gesichert, also getrennt vom Geld des Unternehmens verwahrt",
            (
                "Durch die gesetzliche Einlagensicherung bis 100.000 Euro",
                "Es ist überhaupt nicht geschützt",
            ),
            "E-Geld- und Zahlungsinstitute müssen Kundengelder sichern, diese fallen aber nicht "
            "unter die Einlagensicherung.",
        ),
        Fact(
            "brokers",
            3,
            "Was passiert mit den Wertpapieren in Ihrem Depot, wenn Ihr Online-Broker pleitegeht?",
            "Sie bleiben Ihr Eigentum und werden an Sie oder einen anderen Broker übertragen",
            (
                "Sie fallen in die Insolvenzmasse des Brokers",
                "Sie werden verkauft, und Sie erhalten höchstens 100.000 Euro",
            ),
            "Wertpapiere sind Sondervermögen und gehören nicht zur Insolvenzmasse des Brokers.",
        ),
        Fact(
            "community",
            0,
            "Wem gehört eine Genossenschaftsbank?",
            "Ihren Mitgliedern",
            ("Der Zentralbank", "Einer Gruppe externer Investoren", "Dem Staat"),
            "Mitglieder zeichnen Anteile und haben in der Generalversammlung in der Regel je "
            "eine Stimme.",
        ),
        Fact(
            "community",
            1,
            "Wie prüfen Sie die Aussagen einer ethischen Bank am besten?",
            "Ihre veröffentlichte Kreditliste und ihre Ausschlusskriterien lesen",
            (
                "In der Werbung nach dem Wort grün suchen",
                "Ihre Zinsen mit denen anderer Banken vergleichen",
            ),
            "Veröffentlichte Kredite und Ausschlusskriterien zeigen, was Einlagen tatsächlich "
            "finanzieren; Werbewörter tun das nicht.",
        ),
        Fact(
            "fees",
            0,
            "Welches Dokument zeigt alles, was Sie im vergangenen Jahr für Ihr Konto bezahlt "
            "haben?",
            "Die jährliche Entgeltaufstellung",
            (
                "Die Entgeltinformation",
                "Die Allgemeinen Geschäftsbedingungen",
                "Der Kontoeröffnungsantrag",
            ),
            "Banken in der EU müssen Ihnen mindestens einmal im Jahr eine Aufstellung aller "
            "Entgelte geben; die Entgeltinformation zeigt die Preise vor Vertragsschluss.",
        ),
        Fact(
            "switching",
            0,
            "Was erledigt die Kontowechselhilfe nach EU-Recht für Sie?",
            "Sie überträgt Daueraufträge, Lastschriften und Zahlungseingänge auf das neue Konto",
            (
                "Sie schließt Ihr altes Konto, ohne Sie zu fragen",
                "Sie überträgt Ihre Wertpapiere an einen Broker",
            ),
            "Mit Ihrer Ermächtigung holt die neue Bank die wiederkehrenden Zahlungen bei der "
            "alten Bank ab und richtet sie auf dem neuen Konto ein.",
        ),
        Fact(
            "switching",
            2,
            "Ein Unternehmen lehnt Ihre IBAN ab, weil das Konto in einem anderen EU-Land liegt. "
            "Ist das erlaubt?",
            "Nein, im SEPA-Raum darf eine IBAN aus einem anderen EU-Land nicht abgelehnt werden",
            (
                "Ja, jedes Unternehmen entscheidet selbst, welche Länder es akzeptiert",
                "Nur bei Beträgen über 1.000 Euro",
            ),
            "Die SEPA-Verordnung verbietet diese sogenannte IBAN-Diskriminierung.",
        ),
        Fact(
            "safety",
            4,
            "Jemand ruft im Namen Ihrer Bank an und verlangt einen Bestätigungscode, um eine "
            "betrügerische Zahlung zu stoppen. Was tun Sie?",
            "Auflegen und die Bank selbst unter der Nummer auf Ihrer Karte anrufen",
            (
                "Den Code vorlesen, damit die Zahlung gestoppt wird",
                "Den Code lieber per E-Mail schicken",
            ),
            "Eine Bank fragt nie am Telefon nach Codes, PIN oder Passwörtern; der Anruf selbst "
            "ist der Betrug.",
        ),
        Fact(
            "digital",
            0,
            "Worin besteht der typische Kompromiss einer Neobank ohne Filialen?",
            "Niedrige Gebühren und eine gute App, aber Service meist per Chat",
            (
                "Höhere Gebühren für persönliche Beratung",
                "Keine Möglichkeit, mit Karte zu zahlen",
                "Kein Zugang zum SEPA-Zahlungsverkehr",
            ),
            "Neobanken sparen die Kosten für Filialen; dafür läuft der Service vor allem über "
            "die App.",
        ),
        Fact(
            "brokers",
            1,
            "Warum ist ein Broker ohne Provision nicht unbedingt kostenlos?",
            "Kosten können in Spreads, Währungstausch oder Depotgebühren stecken",
            (
                "Weil Broker ohne Provision nicht beaufsichtigt werden",
                "Weil jede Order einen Notar braucht",
            ),
            "Vergleichen Sie die Gesamtkosten einer typischen Order einschließlich Spread und "
            "weiterer Gebühren.",
        ),
        Fact(
            "safety",
            2,
            "Sie haben 150.000 Euro Ersparnisse. Wie bleibt alles innerhalb der Einlagensicherung?",
            "Auf zwei Banken mit getrennten Lizenzen verteilen",
            (
                "Auf zwei Konten bei derselben Bank verteilen",
                "Konten bei zwei Marken derselben Bank eröffnen",
            ),
            "Die Grenze gilt pro Person und pro zugelassener Bank; Konten und Marken derselben "
            "Bank teilen sich eine Grenze.",
        ),
    ),
    tagline=(
        "Neobanken, Genossenschaftsbanken, ethische Banken, Online-Broker und Bezahl-Apps im "
        "Vergleich und ein sicherer Weg zum Wechsel: weniger zahlen und so Bankgeschäfte "
        "erledigen, wie Sie es möchten."
    ),
    benefits=(
        "Herausfinden, was Ihr Girokonto wirklich kostet",
        "Neobanken, Genossenschaftsbanken und ethische Banken mit klaren Kriterien vergleichen",
        "Verstehen, wie die Einlagensicherung bei jedem Anbieter funktioniert",
        "Ihre Konten vor Betrug und Phishing schützen",
        "Das Konto wechseln, ohne eine Zahlung zu verpassen",
    ),
    faq=(
        (
            "Empfiehlt der Kurs bestimmte Banken?",
            "Nein. Er ist unabhängig und gibt Ihnen die Kriterien, um Anbieter selbst zu "
            "vergleichen.",
        ),
        (
            "Ist mein Geld bei einer Neobank sicher?",
            "Das hängt von ihrer Lizenz ab. Der Kurs zeigt, wie Sie prüfen, ob ein Anbieter "
            "eine Bank ist, die unter die Einlagensicherung fällt.",
        ),
        (
            "Brauche ich Finanzwissen?",
            "Nein. Jeder Begriff wird erklärt, und jede Lektion endet mit einer Checkliste.",
        ),
    ),
)

CUSTOM = CourseTexts(
    modules=(
        ModuleText(
            key="foundations",
            title="Grundlagen: „{short}“",
            summary="Worum es bei „{course}“ geht, warum es wichtig ist und welche Begriffe Sie "
            "von Anfang an brauchen.",
            background=(
                "Jedes Thema wird leichter, sobald Sie seine Gestalt kennen: die Fragen, die es "
                "beantwortet, die Begriffe der Fachleute und die wenigen Ideen, auf denen alles "
                "andere aufbaut. Dieses Modul gibt Ihnen diese Landkarte für „{short}“, bevor "
                "es ins Detail geht.",
                "Vorwissen brauchen Sie nicht. Jede Lektion beginnt bei alltäglichen "
                "Erfahrungen und fügt jeweils eine neue Idee hinzu, damit die späteren Module "
                "auf festem Boden aufbauen können.",
            ),
            checklist=(
                "Aufschreiben, warum Sie sich mit „{short}“ beschäftigen wollen",
                "Drei Fragen notieren, die bis zum Ende beantwortet sein sollen",
                "Neue Begriffe in einem eigenen Glossar sammeln",
                "Feste Zeiten für die nächsten Lektionen im Kalender blocken",
            ),
            example=(
                "{name}, {who}, möchte mit „{short}“ beginnen. Statt alle Artikel und Videos "
                "auf einmal zu sammeln, schreibt {name} drei konkrete Fragen auf und führt ein "
                "Glossar auf einer Seite. Nach jeder Lektion kommen zwei oder drei Begriffe in "
                "eigenen Worten dazu. Am Ende des Moduls beantwortet die Seite die erste Frage, "
                "und die beiden anderen sind viel genauer geworden."
            ),
            lessons=(
                LessonText(
                    "Worum es bei „{short}“ geht",
                    "Ein erster Überblick über „{short}“: die Fragen, die es beantwortet, und "
                    "was dieser Kurs abdeckt.",
                    "„{short}“ kann zunächst groß wirken. Überschaubar wird es, sobald Sie den "
                    "Kern, den alle brauchen, von den Spezialthemen trennen, die nur manche "
                    "brauchen. Diese Lektion zieht diese Linie und zeigt, wo jeder Teil des "
                    "Kurses hingehört.",
                ),
                LessonText(
                    "Warum „{short}“ für Sie wichtig ist",
                    "Der konkrete Nutzen, den Sie erwarten können, und die Probleme, die "
                    "„{short}“ vermeiden hilft.",
                    "Motivation hält länger, wenn sie konkret ist. Statt eines allgemeinen "
                    "Versprechens nennt diese Lektion die Situationen, in denen „{short}“ einen "
                    "sichtbaren Unterschied macht: Zeit sparen, teure Fehler vermeiden und "
                    "sicherer entscheiden.",
                ),
                LessonText(
                    "Schlüsselbegriffe zu „{short}“",
                    "Die Handvoll Begriffe, die immer wieder vorkommen, in einfachen Worten "
                    "erklärt.",
                    "Die meiste Verwirrung entsteht durch Wörter, nicht durch Ideen. Eine kleine "
                    "Zahl von Begriffen trägt den größten Teil der Bedeutung von „{short}“. "
                    "Lernen Sie, was jeder bedeutet, wie er sich von ähnlichen Wörtern "
                    "unterscheidet und woran Sie ihn in der Praxis erkennen.",
                ),
                LessonText(
                    "So funktioniert der Kurs zu „{short}“",
                    "Wie die Module aufeinander aufbauen, wie lange jeder Schritt dauert und wie "
                    "Sie am meisten herausholen.",
                    "Der Kurs führt von den Grundlagen zu den Kernkonzepten, dann zur Praxis und "
                    "schließlich zu Ihrer eigenen Situation. Jede Lektion dauert etwa fünfzehn "
                    "Minuten und endet mit einer Checkliste. Eine Lektion am Tag mit einer "
                    "kurzen Pause zum Nachdenken wirkt besser als eine einzige lange Sitzung.",
                ),
                LessonText(
                    "Ihr Ausgangspunkt bei „{short}“",
                    "Ein kurzer Selbsttest: was Sie schon wissen und worauf Sie sich "
                    "konzentrieren sollten.",
                    "Menschen starten an unterschiedlichen Punkten. Beantworten Sie ehrlich ein "
                    "paar Fragen dazu, was Sie schon wissen und tun, und markieren Sie die "
                    "Themen, die Ihnen fremd sind. So sehen Sie, welche Lektionen Sie genau "
                    "lesen und welche Sie überfliegen können.",
                ),
            ),
        ),
        ModuleText(
            key="core",
            title="Kernkonzepte",
            summary="Die zentralen Ideen von „{short}“, wie sie zusammenhängen und welche "
            "Prinzipien gute Entscheidungen leiten.",
            background=(
                "Fachleute kennen selten mehr Fakten als Einsteiger; sie wissen, welche Ideen "
                "zentral sind und wie sie zusammenhängen. Dieses Modul konzentriert sich auf "
                "diese zentralen Ideen und hebt die Details für später auf.",
                "Jedes Konzept kommt mit einer einfachen Definition, einem Grund, warum es "
                "wichtig ist, und einer typischen Situation, in der es Ihnen begegnet. "
                "Versuchen Sie, jedes in eigenen Worten zu erklären, bevor Sie weitergehen.",
            ),
            checklist=(
                "Jede zentrale Idee in einem Satz erklären",
                "Auf einer Seite skizzieren, wie die Ideen zusammenhängen",
                "Für jede Idee ein Beispiel aus Ihrem Leben oder Ihrer Arbeit finden",
                "Die Idee markieren, die noch unklar ist, und darauf zurückkommen",
            ),
            example=(
                "{name}, {who}, zeichnet auf einem Blatt Papier eine einfache Landkarte der "
                "zentralen Ideen von „{short}“: die Ideen als Kästen, ihre Verbindungen als "
                "Pfeile. Wo ein Pfeil fehlt oder unklar ist, liest {name} die Lektion noch "
                "einmal. Später dient die Karte als schnelle Hilfe, wenn eine echte "
                "Entscheidung ansteht."
            ),
            lessons=(
                LessonText(
                    "Die zentralen Ideen hinter „{short}“",
                    "Die wenigen Ideen, auf denen alles andere bei „{short}“ aufbaut, jeweils "
                    "mit einer einfachen Definition.",
                    "Eine Handvoll Ideen erklärt das meiste, was bei „{short}“ geschieht. Diese "
                    "Lektion stellt sie nacheinander vor, sagt, warum jede davon wichtig ist, "
                    "und zeigt, wo man sie leicht verwechselt.",
                ),
                LessonText(
                    "Wie die Teile von „{short}“ zusammenpassen",
                    "Ursache und Wirkung, Zielkonflikte und Abhängigkeiten zwischen den "
                    "wichtigsten Bausteinen.",
                    "Ideen wirken selten allein. Wer einen Teil von „{short}“ verändert, "
                    "beeinflusst oft einen anderen, und viele gute Entscheidungen sind in "
                    "Wahrheit Abwägungen. Diese Lektion zeigt die wichtigsten Zusammenhänge, "
                    "damit Sie vorhersehen können, was passiert, wenn sich etwas ändert.",
                ),
                LessonText(
                    "Prinzipien und Faustregeln",
                    "Einfache Regeln, denen erfahrene Leute folgen, und die Gründe dafür.",
                    "Faustregeln sparen Zeit, weil sie Erfahrung in einen Satz fassen. Sie "
                    "wirken am besten, wenn Sie wissen, warum es sie gibt, denn dann wissen Sie "
                    "auch, wann sie nicht gelten. Diese Lektion sammelt die nützlichsten Regeln "
                    "für „{short}“ samt ihren Gründen.",
                ),
                LessonText(
                    "Gute von schlechter Praxis unterscheiden",
                    "Kriterien, um Ratschläge, Angebote und Informationen zu „{short}“ zu "
                    "beurteilen.",
                    "Zu „{short}“ gibt es viele Ratschläge, und nicht alle sind gut. Fragen Sie, "
                    "wer den Rat gibt, was er davon hat, ob er zu Ihrer Situation passt und ob "
                    "er sich überprüfen lässt. Diese vier Fragen filtern die meisten schlechten "
                    "Ratschläge heraus.",
                ),
                LessonText(
                    "„{short}“ im Vergleich zu den Alternativen",
                    "Wo „{short}“ am besten passt und wann ein anderer Ansatz besser ist.",
                    "Kein Ansatz passt auf jede Situation. Ein Vergleich von „{short}“ mit den "
                    "wichtigsten Alternativen nach Kosten, Aufwand, Risiko und Nutzen zeigt, wo "
                    "seine Stärken liegen und wann eine andere Wahl klüger ist.",
                ),
            ),
        ),
        ModuleText(
            key="practice",
            title="Praxis Schritt für Schritt",
            summary="Vom ersten kleinen Schritt zur Routine: durchgerechnete Beispiele, "
            "Werkzeuge und Wege, Ihren Fortschritt mit „{short}“ zu verfolgen.",
            background=(
                "Verständnis wächst am schnellsten, wenn Sie das Gelernte anwenden. Dieses Modul "
                "macht aus den Konzepten kleine, konkrete Schritte, die Sie innerhalb einer "
                "Woche gehen können.",
                "Fangen Sie bewusst klein an. Ein erster Schritt, der gelingt, schafft "
                "Selbstvertrauen und echte Erfahrung, und die ist mehr wert als ein perfekter "
                "Plan, der nie beginnt.",
            ),
            checklist=(
                "Einen kleinen ersten Schritt und einen Termin dafür wählen",
                "Die nötigen Werkzeuge oder Unterlagen vorbereiten",
                "Nach dem Versuch aufschreiben, was passiert ist",
                "Den nächsten Schritt an das Gelernte anpassen",
            ),
            example=(
                "{name}, {who}, probiert an einem ruhigen Abend unter der Woche einen ersten "
                "praktischen Schritt mit „{short}“: dreißig Minuten, ein klares Ziel und eine "
                "Notiz darüber, was passiert ist. Der erste Versuch dauert länger als erwartet, "
                "aber die Notiz zeigt genau, was zu ändern ist. Der zweite Versuch eine Woche "
                "später braucht nur die halbe Zeit."
            ),
            lessons=(
                LessonText(
                    "Ihr erster praktischer Schritt mit „{short}“",
                    "Ein kleiner, sicherer erster Schritt, den Sie diese Woche gehen können.",
                    "Der erste Schritt sollte klein genug sein, um ihn in einem Zug zu "
                    "erledigen, und sicher genug, dass ein Fehler nichts kostet. Diese Lektion "
                    "hilft Ihnen, ihn auszuwählen, vorzubereiten und vorab festzulegen, woran "
                    "Sie erkennen, dass er funktioniert hat.",
                ),
                LessonText(
                    "Ein Beispiel von Anfang bis Ende",
                    "Ein vollständiger Fall zu „{short}“, Schritt für Schritt, mit den "
                    "Entscheidungen und ihren Gründen.",
                    "Einen ganzen Fall von Anfang bis Ende zu sehen, zeigt, wie die Konzepte "
                    "zusammenwirken. Folgen Sie dem Beispiel Schritt für Schritt und halten Sie "
                    "bei jeder Entscheidung inne: Was hätten Sie getan, und warum?",
                ),
                LessonText(
                    "Werkzeuge und Quellen für „{short}“",
                    "Welche Werkzeuge, Vorlagen und Quellen helfen und welche Sie getrost "
                    "ignorieren können.",
                    "Gute Werkzeuge erleichtern die Praxis, zu viele Werkzeuge lenken ab. "
                    "Beginnen Sie mit den wenigen, die die wesentlichen Schritte von „{short}“ "
                    "abdecken, lernen Sie sie gut kennen und nehmen Sie weitere erst dazu, wenn "
                    "ein echter Bedarf entsteht.",
                ),
                LessonText(
                    "Eine Routine aufbauen",
                    "Wie aus einzelnen Versuchen eine Gewohnheit wird, die bleibt.",
                    "Ergebnisse entstehen durch Wiederholung. Eine Routine funktioniert, wenn "
                    "sie an einen festen Zeitpunkt gebunden ist, wenig Überwindung kostet und "
                    "sichtbare Fortschritte zeigt. Diese Lektion zeigt, wie Sie eine solche "
                    "Routine für „{short}“ gestalten.",
                ),
                LessonText(
                    "Den Fortschritt messen",
                    "Einfache Kennzahlen, die zeigen, ob sich Ihr Einsatz für „{short}“ lohnt.",
                    "Was Sie messen, können Sie verbessern. Wählen Sie ein oder zwei einfache "
                    "Kennzahlen, die zu Ihrem Ziel passen, halten Sie sie regelmäßig fest und "
                    "achten Sie auf den Trend statt auf einzelne Ergebnisse.",
                ),
            ),
        ),
        ModuleText(
            key="pitfalls",
            title="Typische Stolperfallen",
            summary="Die Fehler, die Einsteiger bei „{short}“ machen, die Mythen, die sie in die "
            "Irre führen, und wie Sie wieder auf Kurs kommen, wenn etwas schiefgeht.",
            background=(
                "Die meisten Fehler sind vorhersehbar: Sie entstehen aus Eile, aus "
                "Übermut nach ersten Erfolgen oder aus Ratschlägen, die zur Situation eines "
                "anderen passen. Sie vorher zu kennen, ist der günstigste Weg, sie zu "
                "vermeiden.",
                "Fehler gehören auch zum Lernen. Entscheidend ist, sie früh zu bemerken, den "
                "Schaden zu begrenzen und für das nächste Mal daraus zu lernen.",
            ),
            checklist=(
                "Ihren Plan mit der Liste typischer Fehler vergleichen",
                "Jemanden mit Erfahrung um eine Einschätzung bitten",
                "Eine Grenze festlegen, was ein Fehler kosten darf",
                "Aufschreiben, was Sie beim nächsten Mal anders machen",
            ),
            example=(
                "{name}, {who}, merkt nach einigen Wochen, dass sich die Ergebnisse mit "
                "„{short}“ nicht mehr verbessern. Der Vergleich mit der Liste typischer Fehler "
                "zeigt die Ursache: {name} hatte den Schritt der Überprüfung weggelassen, um "
                "Zeit zu sparen. Mit der Überprüfung geht es innerhalb von zwei Wochen wieder "
                "voran."
            ),
            lessons=(
                LessonText(
                    "Die häufigsten Fehler bei „{short}“",
                    "Fünf Fehler, die fast alle Einsteiger machen, und wie Sie jeden davon "
                    "vermeiden.",
                    "Dieselben Fehler tauchen immer wieder auf: zu groß anfangen, den Ansatz "
                    "eines anderen kopieren, die Grundlagen überspringen, Ergebnisse nicht "
                    "prüfen und nach dem ersten Rückschlag aufgeben. Für jeden gibt es ein "
                    "einfaches Gegenmittel.",
                ),
                LessonText(
                    "Mythen und Missverständnisse über „{short}“",
                    "Verbreitete Annahmen, die plausibel klingen, aber nicht stimmen.",
                    "Manche Vorstellungen über „{short}“ werden so oft wiederholt, dass sie "
                    "wahr klingen. Diese Lektion prüft die häufigsten, erklärt, woher sie "
                    "kommen, und zeigt, was die Belege tatsächlich sagen.",
                ),
                LessonText(
                    "Warnsignale, die Sie ernst nehmen sollten",
                    "Frühe Signale, dass bei „{short}“ etwas schiefläuft, und was sie bedeuten.",
                    "Probleme entstehen selten aus dem Nichts. Steigender Aufwand bei sinkenden "
                    "Ergebnissen, wachsende Unsicherheit oder Versprechen, die zu gut klingen, "
                    "sind Signale, die Sie ernst nehmen sollten. Je früher Sie reagieren, desto "
                    "günstiger die Lösung.",
                ),
                LessonText(
                    "Was zu tun ist, wenn etwas schiefgeht",
                    "Ein ruhiges Vorgehen Schritt für Schritt, um den Schaden zu begrenzen und "
                    "wieder auf Kurs zu kommen.",
                    "Wenn etwas schiefgeht, stoppen Sie zuerst den Schaden, verstehen Sie dann "
                    "die Ursache und beheben Sie sie erst danach. Wer aufschreibt, was passiert "
                    "ist, vermeidet denselben Fehler später und kann leichter um Hilfe bitten.",
                ),
                LessonText(
                    "Kosten und Aufwand realistisch einschätzen",
                    "Wie viel Zeit, Geld und Energie „{short}“ wirklich braucht, ohne "
                    "Werbeversprechen.",
                    "Erwartungen prägen den Erfolg. Wer schnelle Ergebnisse ohne Aufwand "
                    "erwartet, erlebt die erste Schwierigkeit als Scheitern. Diese Lektion gibt "
                    "ein realistisches Bild von Zeit, Geld und Energie, die „{short}“ braucht.",
                ),
            ),
        ),
        ModuleText(
            key="applying",
            title="Anwendung auf Ihre Situation",
            summary="Wie Sie „{short}“ an Ihre Situation anpassen und daraus einen konkreten "
            "Plan machen. Zielgruppe: {audiences}.",
            background=(
                "Allgemeine Ratschläge werden erst nützlich, wenn sie zu Ihrer Situation "
                "passen: zu Ihrer Zeit, Ihrem Budget, Ihren Zielen und Ihren Grenzen. Dieses "
                "Modul hilft Ihnen, das Gelernte in Entscheidungen zu übersetzen, die für Sie "
                "richtig sind.",
                "Es gibt selten die eine richtige Antwort. Ein klarer Rahmen hilft Ihnen, "
                "Optionen zu vergleichen, eine begründete Entscheidung zu treffen und sie "
                "später zu überprüfen.",
            ),
            checklist=(
                "Ihre Situation in drei Sätzen beschreiben",
                "Ihr wichtigstes Ziel und Ihre größte Einschränkung benennen",
                "Zwei Optionen mit denselben Kriterien vergleichen",
                "Die Entscheidung und einen Termin zur Überprüfung aufschreiben",
            ),
            example=(
                "{name}, {who}, schreibt die aktuelle Situation, das wichtigste Ziel und die "
                "größte Einschränkung auf, nämlich wenig Zeit. Nach dem Vergleich zweier Wege, "
                "„{short}“ zu nutzen, mit denselben Kriterien wählt {name} den einfacheren und "
                "legt einen Termin fest, um ihn nach einem Monat zu überprüfen."
            ),
            lessons=(
                LessonText(
                    "„{short}“ in Ihrem Alltag",
                    "Wo „{short}“ im Alltag vorkommt und wie Sie es dort nutzen.",
                    "Gelerntes bleibt hängen, wenn es mit Situationen verbunden ist, die Ihnen "
                    "ohnehin begegnen. Diese Lektion betrachtet gewöhnliche Tage und zeigt "
                    "Momente, in denen „{short}“ mit wenig Zusatzaufwand einen Unterschied "
                    "macht.",
                ),
                LessonText(
                    "„{short}“ an Ihre Situation anpassen",
                    "Den allgemeinen Ansatz an Ihre Zeit, Ihr Budget und Ihre Ziele anpassen.",
                    "Ihre Situation ist nicht der Durchschnittsfall. Passen Sie den allgemeinen "
                    "Ansatz an die Zeit, das Geld und die Unterstützung an, die Sie tatsächlich "
                    "haben, und lassen Sie die Teile weg, die nicht passen, statt sie zu "
                    "erzwingen.",
                ),
                LessonText(
                    "Mit einem klaren Rahmen entscheiden",
                    "Ein einfacher Weg, Optionen für „{short}“ zu vergleichen und eine "
                    "begründete Entscheidung zu treffen.",
                    "Ein Entscheidungsrahmen braucht nur drei Teile: die Optionen, die Kriterien, "
                    "die Ihnen wichtig sind, und eine ehrliche Bewertung jeder Option nach jedem "
                    "Kriterium. So wird aus einem Bauchgefühl etwas, das Sie besprechen und "
                    "überprüfen können.",
                ),
                LessonText(
                    "Mit anderen zusammenarbeiten",
                    "Familie, Kollegium oder Partner einbeziehen und ihnen „{short}“ erklären.",
                    "Wenige Pläne gelingen allein. Wer seinen Plan den Betroffenen erklärt, nach "
                    "ihrer Sicht fragt und vereinbart, wer was übernimmt, macht ihn robuster und "
                    "oft besser.",
                ),
                LessonText(
                    "Ihr persönlicher Aktionsplan",
                    "Drei konkrete Schritte mit Terminen, die den Kurs zu „{short}“ in Handeln "
                    "übersetzen.",
                    "Ein Plan ist eine Liste von Schritten mit Terminen und einer klaren ersten "
                    "Handlung. Beschränken Sie ihn auf drei Schritte, machen Sie den ersten so "
                    "klein, dass Sie morgen beginnen können, und legen Sie fest, wann Sie Ihren "
                    "Fortschritt prüfen.",
                ),
            ),
        ),
        ModuleText(
            key="next",
            title="Nächste Schritte",
            summary="Das Gelernte wiederholen, tiefer in „{short}“ einsteigen und Ihr Wissen "
            "aktuell halten.",
            background=(
                "Ein abgeschlossener Kurs ist ein Anfang. Wissen bleibt nützlich, wenn Sie es "
                "wiederholen, regelmäßig anwenden und aktualisieren, wenn sich die Umstände "
                "ändern.",
                "Dieses Modul hilft Ihnen, das Gelernte zu festigen, gute Quellen zum "
                "Weiterlernen zu finden und die nächsten dreißig Tage zu planen.",
            ),
            checklist=(
                "Den Kurs in fünf Stichpunkten zusammenfassen",
                "Ein Thema wählen, das Sie vertiefen wollen",
                "Zwei verlässliche Quellen zum Verfolgen auswählen",
                "In drei Monaten eine Wiederholung einplanen",
            ),
            example=(
                "{name}, {who}, schließt den Kurs mit einer einseitigen Zusammenfassung zu "
                "„{short}“ und einem Dreißig-Tage-Plan mit einer kleinen Aufgabe pro Woche ab. "
                "Drei Monate später erinnert ein Kalendereintrag an einen kurzen Rückblick: Was "
                "hat funktioniert, was nicht, und was kommt als Nächstes?"
            ),
            lessons=(
                LessonText(
                    "Rückblick: was Sie über „{short}“ gelernt haben",
                    "Die Kernideen des Kurses an einem Ort, mit einem kurzen Selbsttest.",
                    "Sich zu erinnern wirkt besser als erneutes Lesen. Versuchen Sie, die "
                    "Kernideen jedes Moduls aus dem Gedächtnis abzurufen, bevor Sie in Ihre "
                    "Notizen schauen, und prüfen Sie dann, was fehlt. Die Lücken zeigen, wo "
                    "sich ein zweiter Blick lohnt.",
                ),
                LessonText(
                    "Tiefer in „{short}“ einsteigen",
                    "Wo es weitergeht, wenn die Grundlagen sitzen, und wie Sie auswählen.",
                    "Wenn die Grundlagen sicher sind, lohnt sich die Vertiefung vor allem in den "
                    "Bereichen, die Sie tatsächlich nutzen. Wählen Sie ein weiterführendes "
                    "Thema, das zu Ihren Zielen passt, statt alles abdecken zu wollen.",
                ),
                LessonText(
                    "Auf dem Laufenden bleiben",
                    "Wie Sie Veränderungen bei „{short}“ verfolgen, ohne in Informationen zu "
                    "ertrinken.",
                    "Fachgebiete ändern sich und mit ihnen der beste Rat. Folgen Sie wenigen "
                    "verlässlichen Quellen, prüfen Sie ihre Aussagen gegeneinander und "
                    "überdenken Sie Ihre Entscheidungen, wenn sich Wichtiges ändert.",
                ),
                LessonText(
                    "Ihr 30-Tage-Plan",
                    "Ein einfacher Plan mit einer Aufgabe pro Woche, damit der Schwung nach dem "
                    "Kurs bleibt.",
                    "Der Schwung lässt nach einem Kurs schnell nach. Ein Dreißig-Tage-Plan mit "
                    "einer kleinen Aufgabe pro Woche hält das Gelernte lebendig und macht daraus "
                    "eine Gewohnheit.",
                ),
                LessonText(
                    "Wo Sie Hilfe und Austausch finden",
                    "Menschen, Gruppen und Angebote, die Sie bei „{short}“ unterstützen.",
                    "Mit anderen zu lernen ist leichter und macht mehr Freude. Suchen Sie "
                    "Gruppen, Foren, Kurse vor Ort oder Beratende, die sich mit „{short}“ "
                    "befassen, und prüfen Sie ihre Unabhängigkeit, bevor Sie sich auf ihren Rat "
                    "verlassen.",
                ),
            ),
        ),
    ),
    merged={},
    audience_tips={
        Audience.PRIVATE_INDIVIDUALS: "Beginnen Sie mit einem Bereich Ihres Privatlebens, in "
        "dem „{short}“ sofort hilft, und beziehen Sie die Menschen ein, mit denen Sie leben.",
        Audience.EMPLOYEES: "Suchen Sie eine Aufgabe bei der Arbeit, bei der „{short}“ Ihnen "
        "diesen Monat Zeit spart, und teilen Sie das Ergebnis mit Ihrem Team.",
        Audience.SELF_EMPLOYED: "Jede Stunde zählt: Wenden Sie „{short}“ zuerst dort an, wo es "
        "Ihnen bei Kunden Zeit oder Geld spart, und halten Sie fest, was funktioniert.",
        Audience.STUDENTS: "Verbinden Sie „{short}“ mit Ihrem Studium oder Nebenjob, und nutzen "
        "Sie die Checklisten als Lernplan.",
        Audience.RETIREES: "Lassen Sie sich Zeit: Eine Lektion am Tag genügt, und „{short}“ "
        "lässt sich gemeinsam mit Freunden oder Familie leichter üben.",
        Audience.SMALL_BUSINESSES: "Probieren Sie „{short}“ zuerst in einem Bereich des "
        "Betriebs aus, messen Sie die Wirkung und führen Sie es dann im ganzen Team ein.",
        Audience.PUBLIC_SECTOR: "Prüfen Sie, welche Vorschriften und Abläufe Ihrer Verwaltung "
        "gelten, bevor Sie Ihre Arbeitsweise mit „{short}“ ändern.",
    },
    facts=(),
    tagline=(
        "Ein klarer, praxisnaher Kurs zu „{short}“: von den Grundlagen bis zu Ihrem eigenen "
        "Aktionsplan, in kurzen Lektionen mit Beispielen und Checklisten."
    ),
    benefits=(
        "Die Grundlagen und Schlüsselbegriffe von „{short}“ verstehen",
        "Die zentralen Ideen kennen und wissen, wie sie zusammenhängen",
        "Mit durchgerechneten Beispielen und einfachen Checklisten üben",
        "Die häufigsten Fehler vermeiden",
        "Mit einem persönlichen Aktionsplan abschließen",
    ),
    faq=(
        (
            "Brauche ich Vorwissen?",
            "Nein. Der Kurs beginnt mit den Grundlagen und erklärt jeden Begriff, wenn er zum "
            "ersten Mal vorkommt.",
        ),
        (
            "Wie sind die Lektionen aufgebaut?",
            "Jede Lektion hat eine Erklärung, ein Beispiel, eine Checkliste und eine "
            "Zusammenfassung; ein Quiz schließt den Kurs ab.",
        ),
        (
            "Für wen sind die Beispiele geschrieben?",
            "Für {audiences}, mit Tipps für jede dieser Situationen.",
        ),
    ),
)

PACK = LanguagePack(
    words=WORDS, audiences=AUDIENCES, personas=PERSONAS, banking=BANKING, custom=CUSTOM
)
