"""Textes français du générateur à modèles (French texts of the template generator)."""

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
    code="fr",
    lq="« ",
    rq=" »",
    inner_lq="“",
    inner_rq="”",
    colon=" :",
    lowercase_step=True,
    and_="et",
    untitled="ce cours",
    intro="Cette leçon fait partie du module {module} du cours {course}. {summary}",
    audience_line="Public visé : {audiences}.",
    key_heading="L'idée clé",
    background_heading="Contexte",
    example_heading="Exemple : {name}",
    checklist_heading="Liste de contrôle",
    tips_heading="Conseils selon votre situation",
    summary_heading="Résumé",
    summary_text="En bref : {summary} Votre première étape : {step}.",
    next_lesson="Prochaine leçon : {title}.",
    module_done="Le module {module} est maintenant terminé.",
    course_done="C'était la dernière leçon du cours. Bravo !",
    description_label="Extrait de la description du cours :",
    key_fallback=(
        "{summary} Cette leçon explique l'idée pas à pas, montre ce qu'elle signifie en pratique "
        "et se termine par une liste de contrôle que vous pouvez suivre tout de suite."
    ),
    background_fallback=(
        "Le module {module} porte sur ceci : {module_summary}",
        "Lisez la leçon une première fois pour avoir une vue d'ensemble, puis une seconde fois "
        "en pensant à votre propre situation, et notez les points qui vous concernent.",
    ),
    checklist_fallback=(
        "Résumer l'idée clé de cette leçon en une phrase",
        "Noter une question qui reste ouverte",
        "Choisir une action à réaliser cette semaine",
        "Relire la leçon dans quelques jours",
    ),
    example_fallback=(
        "{name}, {who}, lit la leçon {lesson} avec une question précise en tête et note la "
        "réponse en deux phrases. Une semaine plus tard, {name} essaie l'idée la plus utile et "
        "note ce qui a changé. Cette courte note est la meilleure préparation pour la leçon "
        "suivante."
    ),
    lesson_question="Quelle affirmation décrit la leçon {title} ?",
    lesson_explanation="La leçon {title} du module {module} traite de ceci : {summary}",
    module_question="Dans quel module se trouve la leçon {title} ?",
    module_option="Module {number} : {title}",
    module_explanation=(
        "La leçon {title} est la leçon {lesson_number} du module {number}, {module}."
    ),
    hero_facts="{modules} modules, {lessons} leçons",
    hero_audience="Public visé : {audiences}",
    benefits_heading="Ce que vous allez apprendre",
    audience_heading="À qui s'adresse ce cours",
    curriculum_heading="Programme",
    curriculum_body=(
        "{modules} modules et {lessons} leçons, chacune avec un exemple, une liste de contrôle "
        "et un résumé, et un quiz pour conclure."
    ),
    curriculum_item="Module {number} : {title} ({count} leçons)",
    faq_heading="Questions fréquentes",
    faq_duration=(
        "Combien de temps dure le cours ?",
        "{lessons} leçons d'environ quinze minutes chacune ; vous avancez à votre rythme.",
    ),
    cta_heading="Commencez dès aujourd'hui",
    cta_body="Inscrivez-vous maintenant et terminez votre première leçon en moins de quinze "
    "minutes.",
)

AUDIENCES = {
    Audience.PRIVATE_INDIVIDUALS: "particuliers",
    Audience.EMPLOYEES: "salariés",
    Audience.SELF_EMPLOYED: "indépendants",
    Audience.STUDENTS: "étudiants",
    Audience.RETIREES: "retraités",
    Audience.SMALL_BUSINESSES: "petites entreprises",
    Audience.PUBLIC_SECTOR: "agents du secteur public",
}

PERSONAS = {
    Audience.PRIVATE_INDIVIDUALS: Persona(
        "Camille", "qui gère le budget d'une famille avec deux enfants"
    ),
    Audience.EMPLOYEES: Persona("Julie", "infirmière à temps plein aux horaires variables"),
    Audience.SELF_EMPLOYED: Persona(
        "Marco", "graphiste indépendant avec des clients dans plusieurs pays"
    ),
    Audience.STUDENTS: Persona("Léa", "étudiante avec un petit boulot"),
    Audience.RETIREES: Persona(
        "Monique", "qui a pris sa retraite l'an dernier après quarante ans d'enseignement"
    ),
    Audience.SMALL_BUSINESSES: Persona("Priya", "qui dirige une boulangerie de trois salariés"),
    Audience.PUBLIC_SECTOR: Persona(
        "Thomas", "qui travaille dans l'administration d'une ville moyenne"
    ),
}

BANKING = CourseTexts(
    modules=(
        ModuleText(
            key="fees",
            title="Votre banque, vos frais et les alternatives",
            summary=(
                "« {course} » commence par un regard honnête sur ce que coûte votre compte "
                "courant et sur les acteurs qui font concurrence aux banques traditionnelles."
            ),
            background=(
                "Les banques traditionnelles financent leurs agences et leur personnel par les "
                "frais de tenue de compte, les marges d'intérêt et la vente de produits comme "
                "des fonds ou des assurances. Ce n'est pas condamnable, mais vous payez "
                "peut-être des services que vous n'utilisez jamais.",
                "Les alternatives se spécialisent : certaines sont moins chères parce qu'elles "
                "n'ont pas d'agences, d'autres coûtent un peu plus mais vous donnent une voix "
                "ou une politique de crédit éthique claire. Le bon choix dépend de ce que votre "
                "argent doit faire.",
            ),
            checklist=(
                "Télécharger le récapitulatif annuel des frais",
                "Marquer chaque frais que vous auriez pu éviter",
                "Lister les services bancaires que vous utilisez chaque mois",
                "Noter ce qui vous manquerait sans agence",
            ),
            example=(
                "{name}, {who}, additionne pour la première fois les frais bancaires de l'année "
                "passée : des frais de tenue de compte, une cotisation de carte, des frais de "
                "retrait aux distributeurs d'autres banques et une commission sur un paiement "
                "en devise étrangère. Le total dépasse de loin ce que laissaient penser les "
                "seuls frais mensuels. Avec ce chiffre, {name} peut désormais juger si une "
                "autre offre fait vraiment économiser de l'argent."
            ),
            lessons=(
                LessonText(
                    "Ce que coûte vraiment votre compte courant",
                    "Frais de tenue de compte, cotisation de carte, agios et frais de change "
                    "s'additionnent ; vous apprenez à tous les repérer.",
                    "La plupart des gens connaissent leurs frais mensuels, mais pas le reste. "
                    "La cotisation de carte, les relevés papier, les agios, les retraits aux "
                    "distributeurs d'autres banques et les commissions sur les paiements en "
                    "devises coûtent souvent plus que le compte lui-même. Le récapitulatif "
                    "annuel des frais, que les banques de l'UE doivent vous remettre, liste tout "
                    "ce que vous avez payé l'année précédente.",
                ),
                LessonText(
                    "La carte des alternatives",
                    "Néobanques, banques coopératives, banques éthiques, courtiers en ligne et "
                    "applications de paiement : qui ils sont et ce qu'ils font.",
                    "Les alternatives à la banque traditionnelle se répartissent en quelques "
                    "familles. Les néobanques sont des banques sur application, le plus souvent "
                    "sans agences. Les banques coopératives et mutualistes appartiennent à leurs "
                    "sociétaires. Les banques éthiques ne prêtent qu'à des projets à finalité "
                    "sociale ou écologique. Les courtiers en ligne permettent d'investir à "
                    "moindre coût, et les applications de paiement font circuler l'argent entre "
                    "particuliers et commerçants. Beaucoup de gens en combinent deux ou trois.",
                ),
                LessonText(
                    "Lire une plaquette tarifaire",
                    "Comment lire la grille tarifaire et le document d'information tarifaire "
                    "standardisé, et comparer les offres ligne par ligne.",
                    "Dans l'UE, chaque banque doit publier pour ses comptes de paiement un "
                    "document d'information tarifaire qui utilise les mêmes termes standardisés, "
                    "afin que les offres puissent être comparées ligne par ligne. Regardez "
                    "d'abord les frais mensuels, puis les conditions qui y sont liées, comme un "
                    "montant minimal de virements entrants, et enfin le prix des services que "
                    "vous utilisez réellement.",
                ),
                LessonText(
                    "Les services dont vous avez vraiment besoin",
                    "Salaire, cartes, espèces, épargne, placements, usage professionnel : un "
                    "petit inventaire de ce que votre argent doit faire.",
                    "Avant de comparer les établissements, listez ce que vos comptes doivent "
                    "faire : recevoir vos revenus, payer le loyer et les factures, fournir des "
                    "espèces, accueillir votre épargne, peut-être investir ou séparer l'argent "
                    "professionnel. Une offre bon marché pour qui paie uniquement par carte peut "
                    "coûter cher à qui a souvent besoin d'espèces ou d'une agence.",
                ),
                LessonText(
                    "Gratuit ne veut pas toujours dire gratuit",
                    "Conditions, offres groupées et ventes additionnelles : comment les comptes "
                    "gratuits sont financés et quand ils cessent de l'être.",
                    "Un compte gratuit est payé d'une manière ou d'une autre : par des "
                    "conditions comme un revenu minimal domicilié, par des formules premium "
                    "payantes, par des marges d'intérêt ou par la vente d'autres produits. "
                    "Lisez ce qui se passe si vous ne remplissez pas les conditions, car de "
                    "nombreux comptes gratuits deviennent alors payants.",
                ),
            ),
        ),
        ModuleText(
            key="digital",
            title="Néobanques et applications de paiement",
            summary="Comment fonctionnent les banques sur application et les applications de "
            "paiement, ce qu'elles coûtent et quelles sont leurs limites.",
            background=(
                "Les acteurs numériques économisent le coût des agences et en reversent une "
                "partie sous forme de frais bas et d'applications rapides et bien conçues. Les "
                "notifications en temps réel, les catégories de dépenses et le blocage immédiat "
                "de la carte sont la norme.",
                "En contrepartie, l'accompagnement personnel est réduit, des comptes sont "
                "parfois gelés pendant des contrôles de conformité et, chez certains acteurs, "
                "la protection est moindre parce qu'ils ne sont pas des banques.",
            ),
            checklist=(
                "Vérifier si l'établissement dispose d'un agrément bancaire complet",
                "Comparer la formule gratuite et les formules premium",
                "Tester le service client avant de transférer votre salaire",
                "Garder un second compte avec une carte en secours",
            ),
            example=(
                "{name}, {who}, ouvre un compte gratuit dans une néobanque et ne l'utilise "
                "d'abord que pour les paiements par carte du quotidien. Après deux mois sans "
                "problème, avec une vue claire de toutes les dépenses dans l'application, "
                "{name} y fait verser les revenus réguliers, mais garde l'ancien compte avec un "
                "petit solde et sa carte en secours."
            ),
            lessons=(
                LessonText(
                    "Qu'est-ce qu'une néobanque ?",
                    "Des banques qui vivent dans une application : agrément, fonctionnalités et "
                    "différences avec une banque traditionnelle.",
                    "Une néobanque propose des comptes courants via une application, le plus "
                    "souvent sans agences. Certaines disposent d'un agrément bancaire complet, "
                    "d'autres sont des établissements de monnaie électronique ou s'appuient sur "
                    "une banque partenaire agréée. C'est important, car seuls les dépôts dans "
                    "une banque agréée sont couverts par la garantie légale des dépôts.",
                ),
                LessonText(
                    "Ouvrir un compte par vidéo ou par application",
                    "Vérification d'identité, justificatifs et ce qui vous attend les premiers "
                    "jours d'un compte numérique.",
                    "Les banques numériques vérifient votre identité par appel vidéo, par une "
                    "photo de votre pièce d'identité et un selfie, ou par une identité "
                    "numérique. Préparez votre pièce d'identité, un justificatif si nécessaire "
                    "et une connexion internet stable. La carte arrive en général par courrier "
                    "en quelques jours ; une carte virtuelle fonctionne souvent immédiatement.",
                ),
                LessonText(
                    "Applications de paiement et portefeuilles mobiles",
                    "Portefeuilles mobiles, paiements entre particuliers et virements "
                    "instantanés : pratique, mais où se trouve l'argent ?",
                    "Les applications de paiement et les portefeuilles mobiles rendent le "
                    "paiement et l'envoi d'argent très rapides. Certaines se contentent de "
                    "transmettre les paiements à votre carte bancaire, d'autres tiennent leur "
                    "propre solde. Un solde détenu par un établissement de monnaie électronique "
                    "est cantonné, c'est-à-dire séparé de l'argent de l'entreprise, mais il "
                    "n'est pas couvert par la garantie des dépôts.",
                ),
                LessonText(
                    "Service client, pannes et comptes bloqués",
                    "Que faire quand l'application est en panne, que la carte est bloquée ou "
                    "que le service client ne répond que par chat.",
                    "Sans agence, le service client passe par le chat, le courriel ou le "
                    "téléphone. Des comptes sont parfois gelés pour des contrôles de lutte "
                    "contre le blanchiment, parfois pendant plusieurs jours. Gardez un second "
                    "compte avec une carte chez un autre établissement afin de pouvoir payer le "
                    "loyer et les courses si un compte est indisponible.",
                ),
                LessonText(
                    "Le coût des comptes numériques",
                    "Formules gratuites, formules premium, plafonds de retrait et change : le "
                    "vrai prix d'un compte sur application.",
                    "La plupart des néobanques proposent une formule gratuite avec des limites, "
                    "par exemple quelques retraits gratuits par mois, et des formules premium "
                    "payantes. Comparez les frais de retrait, de paiement en devises et de "
                    "remplacement de carte, pas seulement le prix affiché.",
                ),
            ),
        ),
        ModuleText(
            key="community",
            title="Banques coopératives, mutualistes et éthiques",
            summary="Des banques détenues par leurs sociétaires ou guidées par des valeurs : "
            "comment elles fonctionnent, ce qu'elles offrent et à quoi faire attention.",
            background=(
                "Les banques coopératives, mutualistes et éthiques placent autre chose que le "
                "profit maximal au premier plan : leurs sociétaires, leur territoire ou "
                "l'objet de leurs prêts. Beaucoup publient davantage d'informations sur "
                "l'usage des dépôts que les grandes banques.",
                "Elles sont souvent plus petites et parfois un peu plus chères. En échange, "
                "vous avez une voix en tant que sociétaire et la certitude que votre argent ne "
                "finance pas des activités que vous refusez.",
            ),
            checklist=(
                "Lire les critères de financement et d'exclusion de la banque",
                "Vérifier le prix de la part sociale",
                "Savoir quels distributeurs sont gratuits",
                "Demander si la banque propose tous les produits dont vous avez besoin",
            ),
            example=(
                "{name}, {who}, veut que l'argent du compte finance les énergies renouvelables "
                "plutôt que le charbon. {name} compare deux banques éthiques et une banque "
                "coopérative, lit les listes de prêts qu'elles publient et choisit celle dont "
                "les financements correspondent à ces valeurs, en acceptant des frais mensuels "
                "de quelques euros."
            ),
            lessons=(
                LessonText(
                    "Détenues par leurs sociétaires : les banques coopératives",
                    "Comment fonctionne le sociétariat, ce qu'est une part sociale et pourquoi "
                    "le profit n'est pas le seul objectif.",
                    "Les banques coopératives et mutualistes appartiennent à leurs sociétaires. "
                    "En adhérant, vous souscrivez en général une ou plusieurs parts sociales et "
                    "obtenez une voix à l'assemblée générale, le plus souvent une voix par "
                    "sociétaire quel que soit le nombre de parts. Les bénéfices alimentent les "
                    "réserves, de meilleures conditions ou une rémunération des parts plutôt "
                    "que des actionnaires extérieurs.",
                ),
                LessonText(
                    "Ce que les banques éthiques font de votre argent",
                    "Des prêts transparents, des critères d'exclusion et comment vérifier les "
                    "affirmations d'une banque.",
                    "Les banques éthiques prêtent les dépôts à des projets comme les énergies "
                    "renouvelables, le logement, l'éducation ou l'agriculture biologique, et "
                    "excluent des secteurs comme l'armement ou le charbon. Beaucoup publient "
                    "chaque prêt accordé. Vérifiez la liste publiée des prêts et les critères "
                    "d'exclusion plutôt que de vous fier à des mots comme vert ou responsable "
                    "dans la publicité.",
                ),
                LessonText(
                    "Services et limites des petites banques",
                    "Agences, applications, distributeurs et produits : ce qu'une petite banque "
                    "peut offrir ou non.",
                    "Les petites banques ont souvent moins d'agences et une application plus "
                    "simple, mais offrent un conseil personnel et des décisions prises "
                    "localement. Vérifiez quel réseau de distributeurs vous pouvez utiliser "
                    "gratuitement, si l'application gère les virements instantanés et les "
                    "portefeuilles mobiles, et si la banque propose les produits dont vous avez "
                    "besoin, comme un compte professionnel ou un prêt immobilier.",
                ),
                LessonText(
                    "Parts sociales et frais",
                    "Pourquoi vous payez peut-être une part sociale ou des frais mensuels, et ce "
                    "que cela donne face aux comptes gratuits.",
                    "Les banques éthiques et coopératives facturent souvent des frais de tenue "
                    "de compte, et certaines demandent de souscrire une part sociale. La part "
                    "n'est pas un frais : c'est un capital que vous récupérez en général en "
                    "partant, même s'il peut perdre de la valeur si la banque subit des pertes, "
                    "et contrairement à vos dépôts, il n'est pas couvert par la garantie des "
                    "dépôts.",
                ),
                LessonText(
                    "Choisir une banque conforme à vos valeurs",
                    "Une méthode de notation simple pour mettre en balance valeurs, service et "
                    "prix.",
                    "Notez les trois choses qui comptent le plus pour vous, par exemple aucun "
                    "financement des énergies fossiles, une agence à proximité et des frais "
                    "bas. Donnez à chaque banque une note de un à cinq sur chaque point et "
                    "pondérez les notes. Le résultat ne décide pas à votre place, mais il montre "
                    "vite quel compromis vous faites.",
                ),
            ),
        ),
        ModuleText(
            key="brokers",
            title="Courtiers en ligne et placements",
            summary="Investir sans agence : comment fonctionnent les courtiers en ligne, ce "
            "qu'ils facturent et comment vos titres sont protégés.",
            background=(
                "Les courtiers en ligne ont rendu l'investissement bon marché et accessible : "
                "beaucoup d'ordres coûtent un euro ou rien, et les plans d'investissement "
                "commencent avec de petites sommes. Il devient ainsi facile de se constituer un "
                "patrimoine à long terme avec des fonds larges et peu coûteux.",
                "Cette même facilité incite à trop négocier. Les frais, les impôts et les "
                "émotions rognent le rendement ; un plan simple compte donc plus que le choix "
                "de l'application.",
            ),
            checklist=(
                "Comparer le coût total d'un ordre type",
                "Vérifier les droits de garde et les frais de change",
                "Savoir comment le courtier gère la fiscalité",
                "Commencer par un plan d'investissement sur un ETF large",
            ),
            example=(
                "{name}, {who}, garde une épargne de précaution de trois mois de dépenses sur "
                "un livret et souhaite investir à long terme. {name} ouvre un compte-titres "
                "chez un courtier en ligne et met en place un plan d'investissement mensuel de "
                "100 euros sur un ETF actions monde, sans chercher le bon moment pour entrer "
                "sur le marché."
            ),
            lessons=(
                LessonText(
                    "Comment fonctionne un courtier en ligne",
                    "Compte-titres, compte espèces et transmission des ordres : les mécanismes "
                    "de base d'un courtier en ligne.",
                    "Un courtier en ligne vous ouvre un compte-titres et, en général, un compte "
                    "espèces pour le règlement des opérations. Vous passez vos ordres dans "
                    "l'application, et le courtier les transmet à une bourse ou à une autre "
                    "plateforme de négociation. Vos titres restent votre propriété et sont "
                    "conservés séparément des actifs du courtier.",
                ),
                LessonText(
                    "Frais, spreads et paiement pour flux d'ordres",
                    "Frais de courtage, droits de garde, spreads et pourquoi zéro commission ne "
                    "veut pas dire zéro coût.",
                    "Les courtiers gagnent de l'argent grâce aux frais de courtage, aux droits "
                    "de garde, au change, aux intérêts sur les espèces et parfois au paiement "
                    "pour flux d'ordres, lorsque la plateforme de négociation rémunère le "
                    "courtier pour vos ordres. Un courtier sans commission peut quand même vous "
                    "coûter cher par des spreads plus larges ; comparez donc le coût total d'un "
                    "ordre type.",
                ),
                LessonText(
                    "Plans d'investissement en ETF",
                    "Investir régulièrement dans des fonds indiciels peu coûteux : comment "
                    "fonctionnent les plans et à quoi faire attention.",
                    "Un plan d'investissement place chaque mois un montant fixe, souvent dès "
                    "quelques euros, dans un ETF qui réplique un indice large. Investir "
                    "régulièrement étale vos achats dans le temps. Regardez les frais courants "
                    "du fonds, le coût de chaque versement et si le courtier propose l'ETF en "
                    "plan gratuit.",
                ),
                LessonText(
                    "Comment vos titres sont protégés",
                    "Ségrégation des actifs, indemnisation des investisseurs et différence avec "
                    "la garantie des dépôts.",
                    "Les titres de votre compte-titres sont des actifs séparés : si le courtier "
                    "fait faillite, ils ne font pas partie de son patrimoine et sont transférés "
                    "chez vous ou chez un autre courtier. Les espèces sont traitées autrement et "
                    "ne sont couvertes par la garantie des dépôts que si elles se trouvent dans "
                    "une banque. Les systèmes d'indemnisation des investisseurs de l'UE couvrent "
                    "au moins 20 000 euros de certaines créances, par exemple si un courtier a "
                    "détourné des actifs de clients.",
                ),
                LessonText(
                    "Fiscalité et déclarations",
                    "Ce qu'un courtier national ou étranger fait pour votre déclaration "
                    "d'impôts, et ce que vous devez faire vous-même.",
                    "Selon le pays, un courtier national peut prélever automatiquement l'impôt "
                    "sur les plus-values et les dividendes, alors qu'un courtier étranger vous "
                    "laisse déclarer vous-même. Demandez un exemple d'imprimé fiscal annuel "
                    "avant d'ouvrir un compte et conservez tous les prix d'achat. En cas de "
                    "doute, consultez un conseiller fiscal avant de transférer un portefeuille "
                    "important.",
                ),
            ),
        ),
        ModuleText(
            key="safety",
            title="Garantie des dépôts et sécurité",
            summary="Le niveau de sécurité de votre argent selon le type d'établissement, et "
            "comment protéger vos comptes contre la fraude.",
            background=(
                "La protection varie selon l'établissement : la garantie des dépôts couvre les "
                "banques, les règles de cantonnement couvrent les établissements de monnaie "
                "électronique et de paiement, et la ségrégation couvre les titres chez les "
                "courtiers. Savoir quelle règle s'applique vous dit quel risque vous prenez.",
                "Pourtant, l'argent se perd rarement à cause d'une faillite bancaire et bien "
                "plus souvent à cause de la fraude. De bonnes habitudes sur votre téléphone et "
                "une saine méfiance envers les appels et messages urgents vous protègent mieux "
                "que n'importe quelle garantie.",
            ),
            checklist=(
                "Vérifier qui détient l'agrément bancaire",
                "Garder l'épargne sous le plafond de garantie dans chaque banque",
                "Activer le verrouillage de l'écran et les mises à jour automatiques",
                "Enregistrer le numéro d'urgence de votre banque",
            ),
            example=(
                "{name}, {who}, reçoit un SMS qui semble venir de la banque : le compte serait "
                "bloqué si un lien n'est pas ouvert aujourd'hui. {name} ne touche pas au lien, "
                "ouvre directement l'application bancaire, n'y trouve aucune alerte et appelle "
                "le numéro inscrit sur la carte bancaire. La banque confirme qu'il s'agissait "
                "d'hameçonnage."
            ),
            lessons=(
                LessonText(
                    "Comment fonctionne la garantie des dépôts",
                    "La garantie légale des dépôts : qui est couvert, jusqu'à quel montant et en "
                    "combien de temps vous êtes indemnisé.",
                    "Dans l'UE, les dépôts dans une banque agréée sont protégés par un système "
                    "légal de garantie des dépôts jusqu'à 100 000 euros par personne et par "
                    "banque. Si la banque fait défaut, le système indemnise sous sept jours "
                    "ouvrables. Les comptes joints comptent pour chaque titulaire, et des soldes "
                    "temporairement élevés, par exemple après la vente d'un logement, peuvent "
                    "être protégés au-delà du plafond pendant une durée limitée.",
                ),
                LessonText(
                    "Banques, établissements de monnaie électronique et courtiers",
                    "Quelle règle protège votre argent et où : garantie des dépôts, "
                    "cantonnement et ségrégation des actifs.",
                    "Dans une banque, les dépôts sont couverts par la garantie des dépôts. Dans "
                    "un établissement de monnaie électronique ou de paiement, votre argent est "
                    "cantonné : il doit être séparé de l'argent de l'entreprise, mais aucun "
                    "système ne vous indemnise si cette séparation échoue. Chez un courtier, "
                    "les titres sont des actifs séparés, et la protection des espèces dépend de "
                    "l'endroit où le courtier les conserve.",
                ),
                LessonText(
                    "Répartir son argent entre plusieurs établissements",
                    "Pourquoi et comment répartir des montants importants pour que chaque euro "
                    "reste sous les plafonds de garantie.",
                    "Si votre épargne dépasse le plafond de garantie, répartissez-la entre "
                    "plusieurs banques. Le plafond s'applique par banque et non par marque : "
                    "deux marques appartenant à la même banque agréée partagent un seul "
                    "plafond. Le nom du titulaire de l'agrément figure dans les mentions légales "
                    "et dans le formulaire d'information des déposants que toute banque doit "
                    "vous remettre.",
                ),
                LessonText(
                    "Protéger vos accès et votre téléphone",
                    "Authentification forte, sécurité de l'appareil et bonnes habitudes pour "
                    "garder vos comptes en sécurité.",
                    "Votre application bancaire n'est pas plus sûre que votre téléphone. "
                    "Utilisez un verrouillage d'écran, tenez le système à jour, installez les "
                    "applications uniquement depuis la boutique officielle et activez la "
                    "connexion biométrique lorsqu'elle est proposée. L'authentification forte "
                    "signifie que connexions et paiements exigent deux facteurs indépendants ; "
                    "ne validez jamais une demande que vous n'avez pas lancée vous-même.",
                ),
                LessonText(
                    "Reconnaître la fraude et l'hameçonnage",
                    "Faux appels, faux messages et faux sites : les méthodes des escrocs et que "
                    "faire après une erreur.",
                    "Les escrocs se font passer pour votre banque, la police ou un service de "
                    "livraison et créent un sentiment d'urgence. Votre banque ne vous demandera "
                    "jamais votre code, votre mot de passe ou un code de validation par "
                    "téléphone, SMS ou courriel. Si vous vous êtes fait piéger, appelez "
                    "immédiatement le numéro d'opposition de votre banque pour bloquer le compte "
                    "et la carte, puis portez plainte auprès de la police.",
                ),
            ),
        ),
        ModuleText(
            key="switching",
            title="Changer de compte en toute sécurité",
            summary="Transférer revenus, virements permanents et prélèvements vers un nouveau "
            "compte sans manquer un paiement.",
            background=(
                "Changer de banque est bien plus simple que beaucoup ne le pensent. Le service "
                "de mobilité bancaire transfère les virements permanents et les prélèvements et "
                "informe les organismes concernés, et la plupart des nouveaux établissements "
                "vous guident dans l'application.",
                "Le risque, ce sont les paiements oubliés, comme une cotisation d'assurance "
                "annuelle ou un abonnement rarement utilisé. Garder les deux comptes ouverts en "
                "parallèle pendant un temps permet de les repérer avant qu'ils n'entraînent des "
                "frais de relance.",
            ),
            checklist=(
                "Ouvrir le nouveau compte avant de fermer l'ancien",
                "Demander le service de mobilité bancaire",
                "Communiquer le nouvel IBAN à l'employeur ou à la caisse de retraite",
                "Fermer l'ancien compte après un mois sans paiement",
            ),
            example=(
                "{name}, {who}, demande un samedi le service de mobilité de la nouvelle banque. "
                "En deux semaines, les revenus, le loyer et la plupart des prélèvements passent "
                "par le nouveau compte. La troisième semaine, une cotisation d'assurance "
                "annuelle arrive encore sur l'ancien compte ; comme il est toujours ouvert, le "
                "paiement passe, et {name} communique le nouvel IBAN à l'assureur."
            ),
            lessons=(
                LessonText(
                    "Votre droit à la mobilité bancaire",
                    "Ce que le service de changement de compte prévu par l'UE fait pour vous et "
                    "quels délais les banques doivent respecter.",
                    "Selon la directive européenne sur les comptes de paiement, votre nouvelle "
                    "banque doit proposer un service de changement de compte. Avec votre "
                    "mandat, elle demande à l'ancienne banque la liste des virements "
                    "permanents, des virements reçus et des prélèvements, les met en place sur "
                    "le nouveau compte et peut informer les émetteurs et les créanciers. "
                    "L'ensemble doit être terminé en treize jours ouvrés environ.",
                ),
                LessonText(
                    "Planifier le changement",
                    "Un calendrier de l'ouverture du nouveau compte à la fermeture de l'ancien.",
                    "Ouvrez d'abord le nouveau compte et faites fonctionner les deux comptes en "
                    "parallèle pendant un ou deux mois. Transférez vos revenus et les "
                    "prélèvements les plus importants en début de mois, après le départ des "
                    "gros paiements. Ne fermez l'ancien compte que lorsqu'aucun paiement n'y "
                    "arrive plus et qu'un éventuel découvert est remboursé.",
                ),
                LessonText(
                    "Virements permanents, prélèvements et revenus",
                    "Qui a besoin de votre nouvel IBAN et comment n'oublier personne.",
                    "Parcourez douze mois de relevés et notez chaque paiement récurrent : loyer, "
                    "assurances, énergie, téléphone, abonnements et impôts. Employeur, caisses "
                    "de retraite et administrations ont besoin de votre nouvel IBAN pour les "
                    "versements. Dans la zone SEPA, une entreprise ne peut pas refuser un IBAN "
                    "d'un autre pays de l'UE, ce qui aide si vous choisissez une néobanque "
                    "établie à l'étranger.",
                ),
                LessonText(
                    "Fermer l'ancien compte",
                    "Résilier, transférer le solde et conserver les documents dont vous aurez "
                    "encore besoin.",
                    "Fermez l'ancien compte par écrit et indiquez le nouvel IBAN pour le solde "
                    "restant. Téléchargez les relevés des années passées avant la fin de "
                    "l'accès, car vous en aurez peut-être besoin pour les impôts ou un litige. "
                    "Résiliez cartes, découvert et produits liés, et vérifiez qu'aucun frais "
                    "n'est prélevé après la clôture.",
                ),
                LessonText(
                    "Votre liste de contrôle du changement",
                    "Une liste d'une page pour réussir le changement en un week-end et le "
                    "vérifier un mois plus tard.",
                    "Un bon changement tient en un week-end : ouvrir le compte, demander le "
                    "service de mobilité, mettre à jour les paiements qu'il ne couvre pas et "
                    "programmer un rappel dans quatre semaines. Après un mois, vérifiez que "
                    "chaque paiement attendu est arrivé sur le nouveau compte et que rien n'a "
                    "été prélevé sur l'ancien.",
                ),
            ),
        ),
    ),
    merged={
        "digital+brokers": (
            "Néobanques, applications de paiement et courtiers en ligne",
            "Les acteurs numériques pour l'argent du quotidien et pour l'investissement : "
            "comment ils fonctionnent, ce qu'ils coûtent et quelles sont leurs limites.",
        ),
        "safety+switching": (
            "D'abord la sécurité, ensuite le changement",
            "Comment votre argent est protégé chez chaque établissement, comment sécuriser vos "
            "comptes et comment les transférer sans manquer un paiement.",
        ),
    },
    audience_tips={
        Audience.PRIVATE_INDIVIDUALS: "Pensez à tout le foyer : un compte joint pour les "
        "dépenses communes et des comptes individuels pour les dépenses personnelles "
        "fonctionnent souvent bien.",
        Audience.EMPLOYEES: "Votre compte de salaire est le centre de vos finances ; "
        "transférez-le en dernier, une fois que le nouveau compte a fait ses preuves.",
        Audience.SELF_EMPLOYED: "Séparez l'argent professionnel et privé. Beaucoup de comptes "
        "gratuits interdisent l'usage professionnel : vérifiez les conditions ou ouvrez un "
        "compte professionnel dédié.",
        Audience.STUDENTS: "De nombreuses banques proposent des comptes gratuits aux étudiants "
        "et aux apprentis jusqu'à un certain âge ; notez la date de fin de la gratuité.",
        Audience.RETIREES: "Si le contact humain compte pour vous, vérifiez l'accès aux agences "
        "et au service téléphonique, et pensez à une procuration pour une personne de "
        "confiance.",
        Audience.SMALL_BUSINESSES: "Cherchez un compte professionnel avec plusieurs cartes, des "
        "droits d'accès pour les salariés, un lien avec votre logiciel comptable et une "
        "possibilité de déposer des espèces.",
        Audience.PUBLIC_SECTOR: "Vérifiez si votre employeur ou votre syndicat a des accords "
        "avec certaines banques, et transmettez à temps le nouvel IBAN au service de la paie.",
    },
    facts=(
        Fact(
            "safety",
            0,
            "Jusqu'à quel montant la garantie légale des dépôts protège-t-elle les dépôts par "
            "personne et par banque dans l'UE ?",
            "100 000 euros",
            ("20 000 euros", "250 000 euros", "La totalité, sans plafond"),
            "Les règles européennes fixent un niveau de protection harmonisé de 100 000 euros "
            "par déposant et par banque.",
        ),
        Fact(
            "digital",
            2,
            "Une application de paiement conserve votre solde en monnaie électronique. Comment "
            "cet argent est-il protégé ?",
            "Il est cantonné, c'est-à-dire séparé de l'argent de l'entreprise",
            (
                "Par la garantie légale des dépôts jusqu'à 100 000 euros",
                "Il n'est protégé d'aucune manière",
            ),
            "Les établissements de monnaie électronique et de paiement doivent cantonner les "
            "fonds des clients, mais ces fonds ne sont pas couverts par la garantie des dépôts.",
        ),
        Fact(
            "brokers",
            3,
            "Que deviennent les titres de votre compte-titres si votre courtier en ligne fait "
            "faillite ?",
            "Ils restent votre propriété et sont transférés chez vous ou chez un autre courtier",
            (
                "Ils entrent dans le patrimoine du courtier en faillite",
                "Ils sont vendus et vous recevez au plus 100 000 euros",
            ),
            "Les titres sont des actifs séparés ; ils n'appartiennent pas au patrimoine du "
            "courtier.",
        ),
        Fact(
            "community",
            0,
            "À qui appartient une banque coopérative ?",
            "À ses sociétaires",
            ("À la banque centrale", "À un groupe d'investisseurs extérieurs", "À l'État"),
            "Les sociétaires souscrivent des parts et disposent en général d'une voix chacun à "
            "l'assemblée générale.",
        ),
        Fact(
            "community",
            1,
            "Comment vérifier au mieux les affirmations d'une banque éthique ?",
            "Lire la liste publiée de ses prêts et ses critères d'exclusion",
            (
                "Chercher le mot vert dans sa publicité",
                "Comparer ses taux d'intérêt avec ceux d'autres banques",
            ),
            "Les prêts publiés et les critères d'exclusion montrent ce que les dépôts financent "
            "vraiment ; les mots de la publicité, non.",
        ),
        Fact(
            "fees",
            0,
            "Quel document indique tout ce que vous avez payé pour votre compte l'année "
            "précédente ?",
            "Le récapitulatif annuel des frais",
            (
                "Le document d'information tarifaire",
                "Les conditions générales",
                "Le formulaire d'ouverture de compte",
            ),
            "Les banques de l'UE doivent vous remettre au moins une fois par an un état de tous "
            "les frais prélevés ; le document d'information tarifaire indique les prix avant la "
            "signature.",
        ),
        Fact(
            "switching",
            0,
            "Que fait pour vous le service de changement de compte prévu par l'UE ?",
            "Il transfère virements permanents, prélèvements et versements vers le nouveau compte",
            (
                "Il ferme votre ancien compte sans vous demander votre avis",
                "Il transfère vos titres chez un courtier",
            ),
            "Avec votre mandat, la nouvelle banque récupère les paiements récurrents auprès de "
            "l'ancienne et les met en place sur le nouveau compte.",
        ),
        Fact(
            "switching",
            2,
            "Une entreprise refuse votre IBAN parce que le compte est dans un autre pays de "
            "l'UE. Est-ce permis ?",
            "Non, dans la zone SEPA un IBAN d'un autre pays de l'UE ne peut pas être refusé",
            (
                "Oui, chaque entreprise choisit les pays qu'elle accepte",
                "Seulement pour les montants supérieurs à 1 000 euros",
            ),
            "Le règlement SEPA interdit cette discrimination à l'IBAN.",
        ),
        Fact(
            "safety",
            4,
            "Quelqu'un appelle au nom de votre banque et demande un code de validation pour "
            "bloquer un paiement frauduleux. Que faites-vous ?",
            "Raccrocher et appeler vous-même la banque au numéro inscrit sur votre carte",
            (
                "Lire le code pour que le paiement soit bloqué",
                "Envoyer plutôt le code par courriel",
            ),
            "Une banque ne demande jamais de codes, de code secret ou de mot de passe par "
            "téléphone ; l'appel lui-même est la fraude.",
        ),
        Fact(
            "digital",
            0,
            "Quel est le compromis typique d'une néobanque sans agences ?",
            "Des frais bas et une bonne application, mais un service client surtout par chat",
            (
                "Des frais plus élevés en échange d'un conseil personnel",
                "Aucune possibilité de payer par carte",
                "Aucun accès aux paiements SEPA",
            ),
            "Les néobanques économisent le coût des agences ; en contrepartie, le service passe "
            "surtout par l'application.",
        ),
        Fact(
            "brokers",
            1,
            "Pourquoi un courtier sans commission n'est-il pas forcément gratuit ?",
            "Des coûts peuvent se cacher dans les spreads, le change ou les droits de garde",
            (
                "Parce que les courtiers sans commission ne sont pas supervisés",
                "Parce que chaque ordre exige un notaire",
            ),
            "Comparez le coût total d'un ordre type, spread et autres frais compris.",
        ),
        Fact(
            "safety",
            2,
            "Vous avez 150 000 euros d'épargne. Comment garder le tout sous la garantie des "
            "dépôts ?",
            "Les répartir entre deux banques disposant d'agréments distincts",
            (
                "Les placer sur deux comptes dans la même banque",
                "Ouvrir des comptes chez deux marques de la même banque",
            ),
            "Le plafond s'applique par personne et par banque agréée ; les comptes et marques "
            "d'une même banque partagent un seul plafond.",
        ),
    ),
    tagline=(
        "Néobanques, banques coopératives, banques éthiques, courtiers en ligne et applications "
        "de paiement comparés, et une méthode sûre pour changer : payez moins et gérez votre "
        "argent comme vous le souhaitez."
    ),
    benefits=(
        "Découvrir ce que coûte vraiment votre compte courant",
        "Comparer néobanques, banques coopératives et éthiques avec des critères clairs",
        "Comprendre comment fonctionne la garantie des dépôts selon l'établissement",
        "Protéger vos comptes contre la fraude et l'hameçonnage",
        "Changer de compte sans manquer un paiement",
    ),
    faq=(
        (
            "Le cours recommande-t-il certaines banques ?",
            "Non. Il est indépendant et vous donne les critères pour comparer vous-même les "
            "établissements.",
        ),
        (
            "Mon argent est-il en sécurité dans une néobanque ?",
            "Cela dépend de son agrément. Le cours montre comment vérifier si un établissement "
            "est une banque couverte par la garantie des dépôts.",
        ),
        (
            "Faut-il des connaissances financières ?",
            "Non. Chaque terme est expliqué, et chaque leçon se termine par une liste de contrôle.",
        ),
    ),
)

CUSTOM = CourseTexts(
    modules=(
        ModuleText(
            key="foundations",
            title="Les bases : « {short} »",
            summary="Ce que recouvre « {course} », pourquoi c'est important et les termes dont "
            "vous avez besoin dès le départ.",
            background=(
                "Tout sujet devient plus simple dès que l'on en connaît les contours : les "
                "questions auxquelles il répond, les mots des spécialistes et les quelques "
                "idées sur lesquelles tout le reste repose. Ce module vous donne cette carte "
                "pour « {short} » avant d'entrer dans le détail.",
                "Aucune connaissance préalable n'est nécessaire. Chaque leçon part de "
                "l'expérience quotidienne et ajoute une idée nouvelle à la fois, pour que les "
                "modules suivants reposent sur des bases solides.",
            ),
            checklist=(
                "Écrire pourquoi vous voulez vous intéresser à « {short} »",
                "Noter trois questions auxquelles vous voulez une réponse à la fin",
                "Rassembler les nouveaux termes dans votre propre glossaire",
                "Bloquer des créneaux fixes dans votre agenda pour les prochaines leçons",
            ),
            example=(
                "{name}, {who}, veut se lancer dans « {short} ». Au lieu de rassembler tous les "
                "articles et vidéos d'un coup, {name} écrit trois questions concrètes et tient "
                "un glossaire d'une page. Après chaque leçon, {name} y ajoute deux ou trois "
                "termes avec ses propres mots. À la fin du module, la page répond à la première "
                "question, et les deux autres sont devenues bien plus précises."
            ),
            lessons=(
                LessonText(
                    "De quoi parle « {short} »",
                    "Un premier aperçu de « {short} » : les questions traitées et ce que couvre "
                    "ce cours.",
                    "« {short} » peut sembler vaste au début. Le sujet devient maîtrisable dès "
                    "que l'on sépare le cœur, utile à tous, des thèmes spécialisés, utiles à "
                    "quelques-uns. Cette leçon trace cette ligne et montre où se situe chaque "
                    "partie du cours.",
                ),
                LessonText(
                    "Pourquoi « {short} » compte pour vous",
                    "Les bénéfices concrets que vous pouvez attendre et les problèmes que "
                    "« {short} » aide à éviter.",
                    "La motivation dure plus longtemps quand elle est concrète. Plutôt qu'une "
                    "promesse générale, cette leçon nomme les situations où « {short} » fait "
                    "une différence visible : gagner du temps, éviter des erreurs coûteuses et "
                    "décider avec plus d'assurance.",
                ),
                LessonText(
                    "Les termes clés de « {short} »",
                    "La poignée de termes qui reviennent sans cesse, expliqués avec des mots "
                    "simples.",
                    "La plupart des confusions viennent des mots, pas des idées. Un petit "
                    "nombre de termes porte l'essentiel du sens de « {short} ». Apprenez ce que "
                    "chacun signifie, en quoi il diffère de mots voisins et comment le "
                    "reconnaître en pratique.",
                ),
                LessonText(
                    "Comment fonctionne ce cours sur « {short} »",
                    "Comment les modules s'enchaînent, combien de temps prend chaque étape et "
                    "comment en tirer le meilleur parti.",
                    "Le cours va des bases aux concepts clés, puis à la pratique et enfin à "
                    "votre propre situation. Chaque leçon dure environ quinze minutes et se "
                    "termine par une liste de contrôle. Une leçon par jour avec une courte "
                    "pause de réflexion vaut mieux qu'une seule longue séance.",
                ),
                LessonText(
                    "Votre point de départ avec « {short} »",
                    "Un court auto-diagnostic : ce que vous savez déjà et où concentrer vos "
                    "efforts.",
                    "Chacun part d'un endroit différent. Répondez honnêtement à quelques "
                    "questions sur ce que vous savez et faites déjà, et marquez les thèmes qui "
                    "vous semblent étrangers. Vous saurez ainsi quelles leçons lire "
                    "attentivement et lesquelles survoler.",
                ),
            ),
        ),
        ModuleText(
            key="core",
            title="Concepts clés",
            summary="Les idées centrales de « {short} », leurs liens et les principes qui "
            "guident les bonnes décisions.",
            background=(
                "Les experts ne connaissent pas forcément plus de faits que les débutants ; ils "
                "savent quelles idées sont centrales et comment elles s'articulent. Ce module "
                "se concentre sur ces idées centrales et garde les détails pour plus tard.",
                "Chaque concept est présenté avec une définition simple, une raison pour "
                "laquelle il compte et une situation typique où vous le rencontrez. Essayez "
                "d'expliquer chacun avec vos propres mots avant de passer à la suite.",
            ),
            checklist=(
                "Expliquer chaque idée centrale en une phrase",
                "Dessiner sur une page les liens entre les idées",
                "Trouver un exemple de chaque idée dans votre vie ou votre travail",
                "Marquer l'idée encore floue et y revenir",
            ),
            example=(
                "{name}, {who}, dessine sur une feuille une carte simple des idées centrales de "
                "« {short} » : les idées dans des cases, leurs liens sous forme de flèches. Là "
                "où une flèche manque ou reste floue, {name} relit la leçon. Plus tard, la "
                "carte sert d'aide-mémoire dès qu'une vraie décision se présente."
            ),
            lessons=(
                LessonText(
                    "Les idées centrales de « {short} »",
                    "Les quelques idées sur lesquelles repose tout le reste de « {short} », "
                    "chacune avec une définition simple.",
                    "Une poignée d'idées explique l'essentiel de ce qui se passe dans "
                    "« {short} ». Cette leçon les présente une à une, dit pourquoi chacune "
                    "compte et signale où on les confond facilement.",
                ),
                LessonText(
                    "Comment s'articulent les éléments de « {short} »",
                    "Causes et effets, arbitrages et dépendances entre les principaux éléments.",
                    "Les idées agissent rarement seules. Modifier un élément de « {short} » en "
                    "influence souvent un autre, et beaucoup de bonnes décisions sont en fait "
                    "des arbitrages. Cette leçon montre les principaux liens pour que vous "
                    "puissiez prévoir ce qui se passe quand quelque chose change.",
                ),
                LessonText(
                    "Principes et règles empiriques",
                    "Des règles simples que suivent les personnes expérimentées, et leurs raisons.",
                    "Les règles empiriques font gagner du temps parce qu'elles condensent "
                    "l'expérience en une phrase. Elles fonctionnent mieux quand vous savez "
                    "pourquoi elles existent, car vous savez alors aussi quand elles ne "
                    "s'appliquent pas. Cette leçon réunit les règles les plus utiles pour "
                    "« {short} » avec leurs raisons.",
                ),
                LessonText(
                    "Distinguer les bonnes et les mauvaises pratiques",
                    "Des critères pour juger les conseils, offres et informations sur « {short} ».",
                    "Les conseils sur « {short} » abondent, et tous ne se valent pas. Demandez-"
                    "vous qui donne le conseil, ce qu'il y gagne, s'il correspond à votre "
                    "situation et s'il peut être vérifié. Ces quatre questions écartent la "
                    "plupart des mauvais conseils.",
                ),
                LessonText(
                    "« {short} » face aux alternatives",
                    "Là où « {short} » convient le mieux, et quand une autre approche vous "
                    "sert mieux.",
                    "Aucune approche ne convient à toutes les situations. Comparer « {short} » "
                    "aux principales alternatives selon le coût, l'effort, le risque et le "
                    "bénéfice montre où se trouvent ses forces et quand un autre choix est plus "
                    "sage.",
                ),
            ),
        ),
        ModuleText(
            key="practice",
            title="La pratique pas à pas",
            summary="Du premier petit pas à la routine : exemples détaillés, outils et moyens "
            "de suivre vos progrès avec « {short} ».",
            background=(
                "La compréhension progresse le plus vite quand vous appliquez ce que vous avez "
                "appris. Ce module transforme les concepts en petites étapes concrètes à "
                "réaliser en une semaine.",
                "Commencez petit, volontairement. Un premier pas réussi donne confiance et une "
                "vraie expérience, qui vaut plus qu'un plan parfait qui ne démarre jamais.",
            ),
            checklist=(
                "Choisir un petit premier pas et une date",
                "Préparer les outils ou documents nécessaires",
                "Noter ce qui s'est passé après l'essai",
                "Adapter l'étape suivante à ce que vous avez appris",
            ),
            example=(
                "{name}, {who}, fait un premier essai pratique de « {short} » un soir calme de "
                "semaine : trente minutes, un objectif clair et une note sur ce qui s'est "
                "passé. Le premier essai prend plus de temps que prévu, mais la note montre "
                "exactement quoi changer. Le deuxième essai, une semaine plus tard, prend "
                "moitié moins de temps."
            ),
            lessons=(
                LessonText(
                    "Votre premier pas concret avec « {short} »",
                    "Un premier pas petit et sans risque, à faire cette semaine.",
                    "Le premier pas doit être assez petit pour être fini d'une traite et assez "
                    "sûr pour qu'une erreur ne coûte rien. Cette leçon vous aide à le choisir, "
                    "à le préparer et à décider à l'avance comment vous saurez qu'il a "
                    "fonctionné.",
                ),
                LessonText(
                    "Un exemple complet du début à la fin",
                    "Un cas complet de « {short} », étape par étape, avec les décisions et "
                    "leurs raisons.",
                    "Voir un cas entier du début à la fin montre comment les concepts "
                    "fonctionnent ensemble. Suivez l'exemple étape par étape et arrêtez-vous à "
                    "chaque décision : qu'auriez-vous fait, et pourquoi ?",
                ),
                LessonText(
                    "Outils et ressources pour « {short} »",
                    "Quels outils, modèles et sources aident, et lesquels vous pouvez ignorer "
                    "sans crainte.",
                    "De bons outils facilitent la pratique, mais trop d'outils dispersent. "
                    "Commencez par les quelques outils qui couvrent les étapes essentielles de "
                    "« {short} », maîtrisez-les et n'en ajoutez d'autres que lorsqu'un vrai "
                    "besoin apparaît.",
                ),
                LessonText(
                    "Installer une routine",
                    "Comment transformer des essais isolés en une habitude durable.",
                    "Les résultats viennent de la répétition. Une routine fonctionne quand elle "
                    "est liée à un moment fixe, demande peu d'effort pour démarrer et donne un "
                    "signe visible de progrès. Cette leçon montre comment concevoir une telle "
                    "routine pour « {short} ».",
                ),
                LessonText(
                    "Mesurer vos progrès",
                    "Des indicateurs simples qui montrent si vos efforts avec « {short} » "
                    "portent leurs fruits.",
                    "Ce que l'on mesure, on peut l'améliorer. Choisissez un ou deux indicateurs "
                    "simples adaptés à votre objectif, relevez-les régulièrement et regardez la "
                    "tendance plutôt que les résultats isolés.",
                ),
            ),
        ),
        ModuleText(
            key="pitfalls",
            title="Les pièges courants",
            summary="Les erreurs des débutants avec « {short} », les idées reçues qui les "
            "égarent et comment se rattraper quand quelque chose tourne mal.",
            background=(
                "La plupart des erreurs sont prévisibles : elles viennent de la précipitation, "
                "d'un excès de confiance après les premiers succès ou de conseils adaptés à la "
                "situation de quelqu'un d'autre. Les connaître à l'avance est le moyen le moins "
                "coûteux de les éviter.",
                "Les erreurs font aussi partie de l'apprentissage. L'important est de les "
                "repérer tôt, d'en limiter les dégâts et d'en tirer une leçon pour la prochaine "
                "fois.",
            ),
            checklist=(
                "Comparer votre plan à la liste des erreurs courantes",
                "Demander à une personne expérimentée de relire votre approche",
                "Fixer une limite à ce qu'une erreur peut coûter",
                "Noter ce que vous ferez autrement la prochaine fois",
            ),
            example=(
                "{name}, {who}, remarque après quelques semaines que les résultats avec "
                "« {short} » ne progressent plus. La comparaison avec la liste des erreurs "
                "courantes révèle la cause : {name} avait sauté l'étape de vérification pour "
                "gagner du temps. Avec cette étape rétablie, les progrès reprennent en deux "
                "semaines."
            ),
            lessons=(
                LessonText(
                    "Les erreurs les plus fréquentes avec « {short} »",
                    "Cinq erreurs que presque tous les débutants commettent, et comment éviter "
                    "chacune.",
                    "Les mêmes erreurs reviennent sans cesse : commencer trop grand, copier "
                    "l'approche d'un autre, négliger les bases, ne pas vérifier les résultats "
                    "et abandonner au premier revers. Chacune a une parade simple.",
                ),
                LessonText(
                    "Idées reçues et malentendus sur « {short} »",
                    "Des croyances répandues qui semblent plausibles mais ne tiennent pas.",
                    "Certaines idées sur « {short} » sont répétées si souvent qu'elles semblent "
                    "vraies. Cette leçon examine les plus courantes, explique d'où elles "
                    "viennent et ce que disent réellement les faits.",
                ),
                LessonText(
                    "Les signaux d'alerte à ne pas ignorer",
                    "Les premiers signes que quelque chose se passe mal avec « {short} », et ce "
                    "qu'ils signifient.",
                    "Les problèmes surgissent rarement de nulle part. Un effort croissant pour "
                    "des résultats en baisse, une incertitude grandissante ou des promesses "
                    "trop belles sont des signaux à prendre au sérieux. Plus vous réagissez "
                    "tôt, moins la correction coûte.",
                ),
                LessonText(
                    "Que faire quand quelque chose tourne mal",
                    "Une démarche calme, étape par étape, pour limiter les dégâts et repartir "
                    "du bon pied.",
                    "Quand quelque chose tourne mal, arrêtez d'abord les dégâts, comprenez "
                    "ensuite la cause et corrigez seulement après. Noter ce qui s'est passé "
                    "aide à éviter la même erreur plus tard et facilite la demande d'aide.",
                ),
                LessonText(
                    "Coûts et efforts, de façon réaliste",
                    "Combien de temps, d'argent et d'énergie « {short} » demande vraiment, sans "
                    "promesses marketing.",
                    "Les attentes façonnent la réussite. Si vous attendez des résultats rapides "
                    "sans effort, la première difficulté ressemble à un échec. Cette leçon donne "
                    "une image réaliste du temps, de l'argent et de l'énergie que demande "
                    "« {short} ».",
                ),
            ),
        ),
        ModuleText(
            key="applying",
            title="L'appliquer à votre situation",
            summary="Comment adapter « {short} » à votre situation et en faire un plan "
            "concret. Public visé : {audiences}.",
            background=(
                "Un conseil général ne devient utile que s'il correspond à votre situation : "
                "votre temps, votre budget, vos objectifs et vos contraintes. Ce module vous "
                "aide à traduire ce que vous avez appris en décisions qui vous conviennent.",
                "Il y a rarement une seule bonne réponse. Un cadre clair permet de comparer "
                "les options, de prendre une décision que vous pouvez expliquer et de la "
                "réexaminer plus tard.",
            ),
            checklist=(
                "Décrire votre situation en trois phrases",
                "Nommer votre objectif principal et votre contrainte principale",
                "Comparer deux options selon les mêmes critères",
                "Noter votre décision et une date pour la réexaminer",
            ),
            example=(
                "{name}, {who}, note la situation actuelle, l'objectif principal et la "
                "contrainte la plus forte, à savoir le manque de temps. Après avoir comparé "
                "deux façons d'utiliser « {short} » selon les mêmes critères, {name} choisit la "
                "plus simple et fixe une date pour en faire le bilan dans un mois."
            ),
            lessons=(
                LessonText(
                    "« {short} » au quotidien",
                    "Où « {short} » apparaît dans la vie de tous les jours et comment l'utiliser.",
                    "On retient mieux ce qui est lié à des situations que l'on vit de toute "
                    "façon. Cette leçon observe des journées ordinaires et repère les moments "
                    "où « {short} » peut faire une différence avec peu d'effort "
                    "supplémentaire.",
                ),
                LessonText(
                    "Adapter « {short} » à votre situation",
                    "Ajuster l'approche générale à votre temps, votre budget et vos objectifs.",
                    "Votre situation n'est pas le cas moyen. Ajustez l'approche générale au "
                    "temps, à l'argent et au soutien dont vous disposez réellement, et laissez "
                    "de côté ce qui ne convient pas au lieu de le forcer.",
                ),
                LessonText(
                    "Décider avec un cadre clair",
                    "Une manière simple de comparer les options pour « {short} » et de prendre "
                    "une décision que vous pouvez expliquer.",
                    "Un cadre de décision n'a besoin que de trois éléments : les options, les "
                    "critères qui comptent pour vous et une note honnête de chaque option sur "
                    "chaque critère. Il transforme une intuition en quelque chose que vous "
                    "pouvez discuter et réexaminer.",
                ),
                LessonText(
                    "Travailler avec les autres",
                    "Associer famille, collègues ou partenaires et leur expliquer « {short} ».",
                    "Peu de plans réussissent en solitaire. Expliquer votre plan aux personnes "
                    "concernées, leur demander leur avis et convenir de qui fait quoi le rend "
                    "plus solide et souvent meilleur.",
                ),
                LessonText(
                    "Votre plan d'action personnel",
                    "Trois étapes concrètes et datées pour passer du cours sur « {short} » à "
                    "l'action.",
                    "Un plan est une liste d'étapes datées avec une première action claire. "
                    "Limitez-le à trois étapes, rendez la première assez petite pour commencer "
                    "demain et décidez quand vous ferez le point sur vos progrès.",
                ),
            ),
        ),
        ModuleText(
            key="next",
            title="Et ensuite",
            summary="Revoir ce que vous avez appris, approfondir « {short} » et garder vos "
            "connaissances à jour.",
            background=(
                "Terminer un cours est un début. Les connaissances restent utiles si vous les "
                "révisez, les appliquez régulièrement et les mettez à jour quand les "
                "circonstances changent.",
                "Ce module vous aide à consolider ce que vous avez appris, à trouver de bonnes "
                "sources pour aller plus loin et à planifier les trente prochains jours.",
            ),
            checklist=(
                "Résumer le cours en cinq points",
                "Choisir un thème à approfondir",
                "Sélectionner deux sources fiables à suivre",
                "Prévoir une révision dans trois mois",
            ),
            example=(
                "{name}, {who}, termine le cours par un résumé d'une page sur « {short} » et un "
                "plan de trente jours avec une petite tâche par semaine. Trois mois plus tard, "
                "un rappel dans l'agenda déclenche un court bilan : ce qui a marché, ce qui n'a "
                "pas marché et ce qu'il reste à apprendre."
            ),
            lessons=(
                LessonText(
                    "Bilan : ce que vous avez appris sur « {short} »",
                    "Les idées clés du cours réunies en un seul endroit, avec un court auto-test.",
                    "Se remémorer est plus efficace que relire. Essayez de retrouver de mémoire "
                    "les idées clés de chaque module avant de regarder vos notes, puis vérifiez "
                    "ce qui manque. Les lacunes montrent où un second regard en vaut la peine.",
                ),
                LessonText(
                    "Approfondir « {short} »",
                    "Où continuer une fois les bases acquises, et comment choisir.",
                    "Une fois les bases solides, l'approfondissement rapporte le plus dans les "
                    "domaines que vous utilisez vraiment. Choisissez un thème avancé lié à vos "
                    "objectifs plutôt que de vouloir tout couvrir.",
                ),
                LessonText(
                    "Rester à jour",
                    "Comment suivre l'évolution de « {short} » sans se noyer dans l'information.",
                    "Les domaines évoluent, et les meilleurs conseils aussi. Suivez un petit "
                    "nombre de sources fiables, confrontez leurs affirmations et réexaminez vos "
                    "décisions quand quelque chose d'important change.",
                ),
                LessonText(
                    "Votre plan sur 30 jours",
                    "Un plan simple avec une tâche par semaine pour garder l'élan après le cours.",
                    "L'élan retombe vite après un cours. Un plan de trente jours avec une petite "
                    "tâche par semaine garde vivant ce que vous avez appris et en fait une "
                    "habitude.",
                ),
                LessonText(
                    "Où trouver de l'aide et une communauté",
                    "Des personnes, groupes et services qui peuvent vous accompagner avec "
                    "« {short} ».",
                    "Apprendre avec d'autres est plus facile et plus agréable. Cherchez des "
                    "groupes, des forums, des cours près de chez vous ou des conseillers qui "
                    "travaillent sur « {short} », et vérifiez leur indépendance avant de vous "
                    "fier à leurs conseils.",
                ),
            ),
        ),
    ),
    merged={},
    audience_tips={
        Audience.PRIVATE_INDIVIDUALS: "Commencez par un domaine de votre vie privée où "
        "« {short} » aide tout de suite, et associez les personnes avec qui vous vivez.",
        Audience.EMPLOYEES: "Cherchez une tâche au travail où « {short} » vous fait gagner du "
        "temps ce mois-ci, et partagez le résultat avec votre équipe.",
        Audience.SELF_EMPLOYED: "Chaque heure compte : appliquez d'abord « {short} » là où il "
        "vous fait gagner du temps ou de l'argent avec vos clients, et notez ce qui fonctionne.",
        Audience.STUDENTS: "Reliez « {short} » à vos études ou à votre petit boulot, et "
        "utilisez les listes de contrôle comme plan de révision.",
        Audience.RETIREES: "Prenez votre temps : une leçon par jour suffit, et « {short} » se "
        "pratique plus facilement avec des amis ou en famille.",
        Audience.SMALL_BUSINESSES: "Essayez d'abord « {short} » dans une partie de "
        "l'entreprise, mesurez l'effet, puis étendez-le à toute l'équipe.",
        Audience.PUBLIC_SECTOR: "Vérifiez quelles règles et procédures de votre administration "
        "s'appliquent avant de changer votre façon de travailler avec « {short} ».",
    },
    facts=(),
    tagline=(
        "Un cours clair et pratique sur « {short} » : des bases jusqu'à votre propre plan "
        "d'action, en leçons courtes avec exemples et listes de contrôle."
    ),
    benefits=(
        "Comprendre les bases et les termes clés de « {short} »",
        "Connaître les idées centrales et leurs liens",
        "S'exercer avec des exemples détaillés et des listes de contrôle simples",
        "Éviter les erreurs les plus courantes",
        "Repartir avec un plan d'action personnel",
    ),
    faq=(
        (
            "Faut-il des connaissances préalables ?",
            "Non. Le cours commence par les bases et explique chaque terme dès sa première "
            "apparition.",
        ),
        (
            "Comment les leçons sont-elles construites ?",
            "Chaque leçon comprend une explication, un exemple, une liste de contrôle et un "
            "résumé ; un quiz conclut le cours.",
        ),
        (
            "Pour qui les exemples sont-ils écrits ?",
            "Pour le public suivant : {audiences}, avec des conseils pour chaque situation.",
        ),
    ),
)

PACK = LanguagePack(
    words=WORDS, audiences=AUDIENCES, personas=PERSONAS, banking=BANKING, custom=CUSTOM
)
