"""English texts of the template generator."""

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
    code="en",
    lq="“",
    rq="”",
    inner_lq="\u2018",
    inner_rq="\u2019",
    colon=":",
    lowercase_step=True,
    and_="and",
    untitled="this course",
    intro="This lesson is part of the module {module} in the course {course}. {summary}",
    audience_line="Written for: {audiences}.",
    key_heading="The key idea",
    background_heading="Background",
    example_heading="Example: {name}",
    checklist_heading="Checklist",
    tips_heading="Tips for your situation",
    summary_heading="Summary",
    summary_text="In short: {summary} Your first step: {step}.",
    next_lesson="Next lesson: {title}.",
    module_done="This completes the module {module}.",
    course_done="That was the last lesson of the course. Well done!",
    description_label="From the course description:",
    key_fallback=(
        "{summary} This lesson explains the idea step by step, shows what it means in practice "
        "and ends with a checklist you can work through right away."
    ),
    background_fallback=(
        "The module {module} is about this: {module_summary}",
        "Read the lesson once for the overall picture, then a second time with your own "
        "situation in mind, and note the points that apply to you.",
    ),
    checklist_fallback=(
        "Write down the key idea of this lesson in one sentence",
        "Note one question you still have",
        "Choose one step you will take this week",
        "Review the lesson again in a few days",
    ),
    example_fallback=(
        "{name}, {who}, reads the lesson {lesson} with one concrete question in mind and notes "
        "the answer in two sentences. A week later {name} tries out the most useful idea and "
        "writes down what changed. That short note is the best preparation for the next lesson."
    ),
    lesson_question="Which statement describes the lesson {title}?",
    lesson_explanation="The lesson {title} in the module {module} covers this: {summary}",
    module_question="Which module contains the lesson {title}?",
    module_option="Module {number}: {title}",
    module_explanation="The lesson {title} is lesson {lesson_number} of module {number}, {module}.",
    hero_facts="{modules} modules, {lessons} lessons",
    hero_audience="For {audiences}",
    benefits_heading="What you will learn",
    audience_heading="Who this course is for",
    curriculum_heading="Curriculum",
    curriculum_body=(
        "{modules} modules with {lessons} lessons, each with an example, a checklist and a "
        "summary, and a quiz at the end."
    ),
    curriculum_item="Module {number}: {title} ({count} lessons)",
    faq_heading="Frequently asked questions",
    faq_duration=(
        "How long does the course take?",
        "{lessons} lessons of about fifteen minutes each; you choose your own pace.",
    ),
    cta_heading="Start learning today",
    cta_body="Enrol now and finish your first lesson in less than fifteen minutes.",
)

AUDIENCES = {
    Audience.PRIVATE_INDIVIDUALS: "private individuals",
    Audience.EMPLOYEES: "employees",
    Audience.SELF_EMPLOYED: "self-employed people",
    Audience.STUDENTS: "students",
    Audience.RETIREES: "retirees",
    Audience.SMALL_BUSINESSES: "small businesses",
    Audience.PUBLIC_SECTOR: "public-sector employees",
}

PERSONAS = {
    Audience.PRIVATE_INDIVIDUALS: Persona("Sam", "who runs a busy household with two children"),
    Audience.EMPLOYEES: Persona("Anna", "a full-time nurse with changing shifts"),
    Audience.SELF_EMPLOYED: Persona(
        "Marco", "a freelance graphic designer with clients in several countries"
    ),
    Audience.STUDENTS: Persona("Lea", "a university student with a part-time job"),
    Audience.RETIREES: Persona("Margaret", "who retired last year after forty years as a teacher"),
    Audience.SMALL_BUSINESSES: Persona("Priya", "who runs a bakery with three employees"),
    Audience.PUBLIC_SECTOR: Persona("Tom", "who works in the administration of a mid-sized city"),
}

BANKING = CourseTexts(
    modules=(
        ModuleText(
            key="fees",
            title="Your bank, your costs and the alternatives",
            summary=(
                "“{course}” starts with an honest look at what your current account costs and "
                "which kinds of providers compete with traditional banks."
            ),
            background=(
                "Traditional banks pay for their branches and staff through account fees, "
                "interest margins and the sale of products such as funds or insurance. That is "
                "not wrong, but it means you may pay for services you never use.",
                "The alternatives specialise: some are cheaper because they work without "
                "branches, others cost a little more but give you a vote or a clear ethical "
                "lending policy. The right choice depends on what your money has to do.",
            ),
            checklist=(
                "Download your annual statement of fees",
                "Mark every charge you could have avoided",
                "List the banking services you use each month",
                "Note what you would miss without a branch",
            ),
            example=(
                "{name}, {who}, adds up last year's bank charges for the first time: a monthly "
                "fee, a card fee, fees for cash withdrawals at other banks' ATMs and a charge for "
                "a payment in a foreign currency. The total is far higher than the monthly fee "
                "alone suggested. With this figure {name} can now judge whether an alternative "
                "offer really saves money."
            ),
            lessons=(
                LessonText(
                    "What your current account really costs",
                    "Account fees, card fees, overdraft interest and foreign-currency charges add "
                    "up; you learn to find all of them.",
                    "Most people know their monthly account fee but not the rest. Card fees, "
                    "charges for paper statements, overdraft interest, fees for cash at other "
                    "banks' machines and mark-ups on foreign-currency payments often cost more "
                    "than the account itself. The annual statement of fees, which banks in the "
                    "EU must give you, lists everything you paid in the past year.",
                ),
                LessonText(
                    "The map of alternatives",
                    "Neobanks, credit unions and cooperative banks, ethical banks, online "
                    "brokers and payment apps: who they are and what they do.",
                    "Alternatives to the traditional bank fall into a few groups. Neobanks are "
                    "app-first banks, usually without branches. Credit unions and cooperative "
                    "banks belong to their members. Ethical banks lend only to projects with a "
                    "social or ecological purpose. Online brokers let you invest at low cost, and "
                    "payment apps move money between people and shops. Many people combine two "
                    "or three of them.",
                ),
                LessonText(
                    "Reading a fee schedule",
                    "How to read the price list and the standardised fee information document, "
                    "and compare offers line by line.",
                    "In the EU every bank must publish a fee information document that uses the "
                    "same standard terms for its payment accounts, so offers can be compared line "
                    "by line. Look at the monthly fee first, then at the conditions attached to "
                    "it, such as a minimum monthly deposit, and finally at the prices of the "
                    "services you actually use.",
                ),
                LessonText(
                    "Which services you really need",
                    "Salary, cards, cash, savings, investing, business use: a short inventory of "
                    "what your money has to do.",
                    "Before you compare providers, list what your accounts have to do: receive "
                    "income, pay rent and bills, give you cash, hold savings, perhaps invest or "
                    "keep business money apart. An offer that is cheap for someone who only pays "
                    "by card can be expensive for someone who often needs cash or a branch.",
                ),
                LessonText(
                    "Free is not always free",
                    "Conditions, bundles and cross-selling: how free accounts are paid for and "
                    "when they stop being free.",
                    "A free account is paid for somehow: through conditions such as a minimum "
                    "salary deposit, through paid premium plans, through interest margins or "
                    "through the sale of other products. Read what happens if you do not meet "
                    "the conditions, because many free accounts then start charging a monthly "
                    "fee.",
                ),
            ),
        ),
        ModuleText(
            key="digital",
            title="Neobanks and payment apps",
            summary="How app-first banks and payment apps work, what they cost and where their "
            "limits are.",
            background=(
                "Digital providers save the cost of branches and pass part of it on as low fees "
                "and fast, well-designed apps. Real-time notifications, spending categories and "
                "instant card locking are standard.",
                "The price is less personal support, occasional account freezes during "
                "compliance checks and, for some providers, a lower level of protection because "
                "they are not banks.",
            ),
            checklist=(
                "Check whether the provider holds a full banking licence",
                "Compare the free plan with the premium plans",
                "Test the support before you move your salary",
                "Keep a second account and card as a backup",
            ),
            example=(
                "{name}, {who}, opens a free account with a neobank and at first uses it only "
                "for everyday card payments. After two months without problems, and with a "
                "clear view of all spending in the app, {name} moves the regular income there "
                "but keeps the old account with a small balance and its card as a backup."
            ),
            lessons=(
                LessonText(
                    "What a neobank is",
                    "Banks that live in an app: licence, features and how they differ from a "
                    "traditional bank.",
                    "A neobank offers current accounts through an app, usually without branches. "
                    "Some hold a full banking licence, others are e-money institutions or work "
                    "with a partner bank that holds the licence. This matters, because only "
                    "deposits at a licensed bank fall under the statutory deposit guarantee.",
                ),
                LessonText(
                    "Opening an account by video or app",
                    "Identity checks, documents and what to expect in the first days of a new "
                    "digital account.",
                    "Digital banks check your identity with a video call, with a photo of your ID "
                    "and a selfie, or with an electronic ID. Have your ID document, your tax "
                    "number if required and a stable internet connection ready. The card usually "
                    "arrives by post within a few days; a virtual card often works at once.",
                ),
                LessonText(
                    "Payment apps and wallets",
                    "Mobile wallets, peer-to-peer payments and instant transfers: convenient, but "
                    "where does the money sit?",
                    "Payment apps and mobile wallets make paying and sending money very fast. "
                    "Some only pass payments on to your bank card, others keep a balance of "
                    "their own. A balance held by an e-money institution is safeguarded, which "
                    "means kept apart from the company's own money, but it is not covered by "
                    "deposit protection.",
                ),
                LessonText(
                    "Support, outages and blocked accounts",
                    "What to do when the app is down, the card is blocked or support only "
                    "answers by chat.",
                    "Without a branch, support runs through chat, email or phone. Accounts are "
                    "sometimes frozen for anti-money-laundering checks, occasionally for days. "
                    "Keep a second account with a card at another provider so that you can still "
                    "pay rent and groceries if one account is unavailable.",
                ),
                LessonText(
                    "The costs of digital accounts",
                    "Free plans, premium plans, cash limits and currency exchange: the real price "
                    "of an app account.",
                    "Most neobanks have a free plan with limits, such as a few free cash "
                    "withdrawals per month, and premium plans with a monthly fee. Compare the "
                    "fees for cash, for foreign currencies and for a replacement card, not only "
                    "the headline price.",
                ),
            ),
        ),
        ModuleText(
            key="community",
            title="Credit unions, cooperative and ethical banks",
            summary="Member-owned and value-driven banks: how they work, what they offer and "
            "what to look out for.",
            background=(
                "Credit unions, cooperative banks and ethical banks put something other than "
                "maximum profit first: their members, their region or the purpose of their "
                "loans. Many publish more about how they use deposits than large banks do.",
                "They are usually smaller and can be a little more expensive. In return you get "
                "a voice as a member and the certainty that your money does not finance "
                "activities you reject.",
            ),
            checklist=(
                "Read the bank's lending and exclusion criteria",
                "Check the price of the membership share",
                "Find out which cash machines you can use for free",
                "Ask whether the bank offers every product you need",
            ),
            example=(
                "{name}, {who}, wants the money in the account to finance renewable energy "
                "rather than coal. {name} compares two ethical banks and a cooperative bank, "
                "reads their published lists of loans and chooses the one whose lending matches "
                "these values, accepting a monthly fee of a few euros."
            ),
            lessons=(
                LessonText(
                    "Owned by members: credit unions and cooperative banks",
                    "How member ownership works, what a membership share is and why profit is "
                    "not the only goal.",
                    "Credit unions and cooperative banks belong to their members. When you join, "
                    "you usually buy one or more shares and get a vote at the general meeting, "
                    "typically one vote per member however many shares you hold. Profits go into "
                    "reserves, better conditions or a dividend for the members instead of to "
                    "outside shareholders.",
                ),
                LessonText(
                    "What ethical banks do with your money",
                    "Transparent lending, exclusion criteria and how to check a bank's claims.",
                    "Ethical banks lend deposits to projects such as renewable energy, housing, "
                    "education or organic farming, and exclude sectors such as weapons or coal. "
                    "Many publish every loan they grant. Check the published list of loans and "
                    "the exclusion criteria instead of relying on words like green or fair in "
                    "the advertising.",
                ),
                LessonText(
                    "Services and limits of smaller banks",
                    "Branches, apps, cash machines and products: what a smaller bank can and "
                    "cannot offer.",
                    "Smaller banks often have fewer branches and a simpler app, but offer "
                    "personal advice and local decisions. Check which network of cash machines "
                    "you can use for free, whether the app supports instant transfers and mobile "
                    "wallets, and whether the bank offers the products you need, such as a "
                    "business account or a mortgage.",
                ),
                LessonText(
                    "Membership shares and fees",
                    "Why you may pay for a share or a monthly fee, and how that compares with "
                    "free accounts.",
                    "Ethical and cooperative banks often charge a monthly account fee, and some "
                    "ask you to buy a membership share. The share is not a fee: it is capital "
                    "you usually get back when you leave, although it can lose value if the bank "
                    "makes losses, and unlike your deposits it is not covered by deposit "
                    "protection.",
                ),
                LessonText(
                    "Choosing a bank that fits your values",
                    "A simple scoring method to weigh values, service and price against each "
                    "other.",
                    "Write down the three things that matter most to you, for example no lending "
                    "to fossil fuels, a branch nearby and a low fee. Score each candidate from "
                    "one to five on each point and weight the scores. The result does not decide "
                    "for you, but it shows quickly which compromise you are making.",
                ),
            ),
        ),
        ModuleText(
            key="brokers",
            title="Online brokers and investing",
            summary="Investing without a branch: how online brokers work, what they charge and "
            "how your securities are protected.",
            background=(
                "Online brokers have made investing cheap and accessible: many orders cost one "
                "euro or nothing, and savings plans start with small amounts. That makes it easy "
                "to build wealth over the long term with broad, low-cost funds.",
                "The same ease tempts people to trade too often. Costs, taxes and emotions eat "
                "into returns, so a simple plan matters more than the choice of app.",
            ),
            checklist=(
                "Compare the total cost of a typical order",
                "Check custody and currency exchange fees",
                "Find out how the broker handles taxes",
                "Start with a savings plan in a broad ETF",
            ),
            example=(
                "{name}, {who}, keeps an emergency reserve of three months' expenses in a "
                "savings account and wants to invest for the long term. {name} opens a custody "
                "account with an online broker and sets up a monthly savings plan of 100 euros "
                "in a global equity ETF, without trying to time the market."
            ),
            lessons=(
                LessonText(
                    "How an online broker works",
                    "Custody account, cash account and order routing: the basic mechanics of an "
                    "online broker.",
                    "An online broker gives you a securities account, called a custody account, "
                    "and usually a cash account for settling trades. You place orders in the "
                    "app, and the broker passes them to an exchange or another trading venue. "
                    "Your securities remain your property and are held apart from the broker's "
                    "own assets.",
                ),
                LessonText(
                    "Fees, spreads and payment for order flow",
                    "Order fees, custody fees, spreads and why zero commission is not zero cost.",
                    "Brokers earn money from order fees, custody fees, currency exchange, "
                    "interest on cash and sometimes payment for order flow, where the trading "
                    "venue pays the broker for your orders. A broker without commission can "
                    "still cost you money through wider spreads, so compare the total cost of a "
                    "typical order.",
                ),
                LessonText(
                    "Savings plans with ETFs",
                    "Regular investing in low-cost index funds: how savings plans work and what "
                    "to watch.",
                    "A savings plan invests a fixed amount every month, often from a few euros, "
                    "in an ETF that follows a broad index. Investing regularly spreads your "
                    "purchases over time. Look at the fund's ongoing charges, the fee for each "
                    "instalment and whether the broker offers the ETF as a free savings plan.",
                ),
                LessonText(
                    "How your securities are protected",
                    "Segregated assets, investor compensation and the difference from deposit "
                    "protection.",
                    "Securities in your custody account are segregated assets: if the broker "
                    "goes bankrupt, they are not part of its estate and are transferred to you "
                    "or to another broker. Cash is treated differently and is covered by the "
                    "deposit guarantee only if it sits with a bank. Investor compensation "
                    "schemes in the EU cover at least 20,000 euros of certain claims, for "
                    "example if a broker has misused client assets.",
                ),
                LessonText(
                    "Taxes and reporting",
                    "What a domestic or a foreign broker does for your tax return, and what you "
                    "have to do yourself.",
                    "Depending on the country, a domestic broker may deduct tax on gains and "
                    "dividends automatically, while a foreign broker leaves the reporting to "
                    "you. Ask for a sample annual tax statement before you open an account and "
                    "keep records of every purchase price. If in doubt, talk to a tax adviser "
                    "before you move a large portfolio.",
                ),
            ),
        ),
        ModuleText(
            key="safety",
            title="Deposit protection and security",
            summary="How safe your money is with each kind of provider, and how you protect "
            "your accounts against fraud.",
            background=(
                "Protection differs between providers: deposit guarantees cover banks, "
                "safeguarding rules cover e-money and payment institutions, and segregation "
                "rules cover securities at brokers. Knowing which rule applies tells you how "
                "much risk you take.",
                "Most money, however, is not lost through failed banks but through fraud. Good "
                "habits on your phone and a healthy distrust of urgent calls and messages "
                "protect you better than any guarantee.",
            ),
            checklist=(
                "Check who holds the banking licence",
                "Keep savings below the protection limit at each bank",
                "Turn on a screen lock and automatic updates",
                "Save your bank's emergency number",
            ),
            example=(
                "{name}, {who}, receives a text message that seems to come from the bank: the "
                "account will be blocked unless a link is opened today. {name} does not tap the "
                "link, opens the banking app directly, finds no warning there and calls the "
                "number printed on the bank card. The bank confirms that the message was "
                "phishing."
            ),
            lessons=(
                LessonText(
                    "How deposit protection works",
                    "The statutory deposit guarantee: who is covered, up to which amount and how "
                    "fast you are paid.",
                    "In the EU, deposits at a licensed bank are protected by a statutory deposit "
                    "guarantee scheme up to 100,000 euros per person and per bank. If the bank "
                    "fails, the scheme pays out within seven working days. Joint accounts count "
                    "for each holder, and temporarily high balances, for example after selling a "
                    "home, can be protected beyond the limit for a limited time.",
                ),
                LessonText(
                    "Banks, e-money institutions and brokers compared",
                    "Which rule protects your money where: deposit guarantee, safeguarding and "
                    "segregated assets.",
                    "At a bank, deposits are covered by the deposit guarantee. At an e-money or "
                    "payment institution your money is safeguarded: it must be kept apart from "
                    "the company's own money, but no scheme pays you if that separation fails. "
                    "At a broker, securities are segregated assets, and the protection of cash "
                    "depends on where the broker keeps it.",
                ),
                LessonText(
                    "Spreading money across providers",
                    "Why and how to split larger amounts so that every euro stays within the "
                    "protection limits.",
                    "If your savings are above the protection limit, spread them across several "
                    "banks. The limit applies per bank, not per brand: two brands that belong to "
                    "the same licensed bank share one limit. The name of the licence holder is "
                    "in the legal notice and in the depositor information sheet every bank must "
                    "give you.",
                ),
                LessonText(
                    "Protecting your login and your phone",
                    "Strong authentication, device security and habits that keep your accounts "
                    "safe.",
                    "Your banking app is only as safe as your phone. Use a screen lock, keep the "
                    "system up to date, install apps only from the official store and turn on "
                    "biometric login where offered. Strong customer authentication means that "
                    "logins and payments need two independent factors; never approve a request "
                    "you did not start yourself.",
                ),
                LessonText(
                    "Recognising fraud and phishing",
                    "Fake calls, messages and websites: the patterns scammers use and what to do "
                    "after a mistake.",
                    "Scammers pretend to be your bank, the police or a parcel service and create "
                    "time pressure. Your bank will never ask for your PIN, your password or a "
                    "confirmation code by phone, text message or email. If you have fallen for "
                    "it, call your bank's emergency number at once to block the account and "
                    "card, and report the case to the police.",
                ),
            ),
        ),
        ModuleText(
            key="switching",
            title="Switching accounts safely",
            summary="Move your income, standing orders and direct debits to a new account "
            "without missing a payment.",
            background=(
                "Switching banks is much easier than many people expect. The switching service "
                "moves standing orders and direct debits and informs the companies involved, and "
                "most new providers guide you through it in the app.",
                "The risk lies in forgotten payments, such as an annual insurance premium or a "
                "rarely used subscription. Running both accounts in parallel for a while catches "
                "them before they cause a reminder fee.",
            ),
            checklist=(
                "Open the new account before you close the old one",
                "Order the switching service",
                "Give your employer or pension fund the new IBAN",
                "Close the old account after a month without payments",
            ),
            example=(
                "{name}, {who}, orders the switching service of the new bank on a Saturday. "
                "Within two weeks the income, the rent and most direct debits run through the "
                "new account. In the third week an annual insurance premium still arrives at "
                "the old account; because it is still open, the payment goes through, and "
                "{name} gives the insurer the new IBAN."
            ),
            lessons=(
                LessonText(
                    "Your right to a switching service",
                    "What the EU switching service does for you and which deadlines banks must "
                    "meet.",
                    "Under the EU Payment Accounts Directive your new bank must offer a switching "
                    "service. With your authorisation it asks the old bank for the list of "
                    "standing orders, incoming transfers and direct debits, sets them up on the "
                    "new account and can inform the payers and the companies that debit your "
                    "account. The whole process must be completed within about thirteen working "
                    "days.",
                ),
                LessonText(
                    "Planning the switch",
                    "A timeline from opening the new account to closing the old one.",
                    "Open the new account first and run both accounts in parallel for one to two "
                    "months. Move your income and the most important direct debits early in the "
                    "month, after the large payments have gone out. Close the old account only "
                    "when no more payments arrive there and any overdraft is settled.",
                ),
                LessonText(
                    "Standing orders, direct debits and income",
                    "Who needs your new IBAN, and how to make sure nobody is forgotten.",
                    "Go through twelve months of statements and note every recurring payment: "
                    "rent, insurance, energy, phone, subscriptions and taxes. Employers, pension "
                    "funds and authorities need your new IBAN for incoming payments. In the SEPA "
                    "area a company may not refuse an IBAN from another EU country, which helps "
                    "if you choose a neobank based abroad.",
                ),
                LessonText(
                    "Closing the old account",
                    "Cancelling, transferring the balance and keeping the documents you will "
                    "still need.",
                    "Close the old account in writing and give the new IBAN for the remaining "
                    "balance. Download the statements of the past years before access ends, "
                    "because you may need them for taxes or disputes. Cancel cards, overdrafts "
                    "and linked products, and check that no fees are charged after closing.",
                ),
                LessonText(
                    "Your switching checklist",
                    "A one-page checklist to complete the switch in a weekend and review it a "
                    "month later.",
                    "A good switch fits into a weekend: open the account, order the switching "
                    "service, update the payments the service does not cover and set a reminder "
                    "for four weeks later. After a month, check that every expected payment "
                    "arrived on the new account and that nothing was debited from the old one.",
                ),
            ),
        ),
    ),
    merged={
        "digital+brokers": (
            "Neobanks, payment apps and online brokers",
            "Digital providers for everyday money and for investing: how they work, what they "
            "cost and where their limits are.",
        ),
        "safety+switching": (
            "Safety first, then switch",
            "How your money is protected with each provider, how to keep your accounts secure "
            "and how to move them without missing a payment.",
        ),
    },
    audience_tips={
        Audience.PRIVATE_INDIVIDUALS: "Look at the whole household: a joint account for shared "
        "costs and individual accounts for personal spending often work well.",
        Audience.EMPLOYEES: "Your salary account is the centre of your finances; move it last, "
        "once the new account has proved itself.",
        Audience.SELF_EMPLOYED: "Keep business and private money apart. Many free accounts do "
        "not allow business use, so check the terms or open a separate business account.",
        Audience.STUDENTS: "Many banks offer free accounts for students and trainees up to a "
        "certain age; note when the free period ends.",
        Audience.RETIREES: "If personal contact matters to you, check branch access and phone "
        "support, and consider a power of attorney for a person you trust.",
        Audience.SMALL_BUSINESSES: "Look for business accounts with several cards, access "
        "rights for staff, a link to your accounting software and a way to deposit cash.",
        Audience.PUBLIC_SECTOR: "Check whether your employer or union has agreements with "
        "particular banks, and give your payroll office the new IBAN in good time.",
    },
    facts=(
        Fact(
            "safety",
            0,
            "Up to which amount does the statutory deposit guarantee protect deposits per "
            "person and per bank in the EU?",
            "100,000 euros",
            ("20,000 euros", "250,000 euros", "The full amount, without a limit"),
            "EU rules set a harmonised protection level of 100,000 euros per depositor and per "
            "bank.",
        ),
        Fact(
            "digital",
            2,
            "A payment app holds your balance as e-money. How is that money protected?",
            "It is safeguarded, kept apart from the company's own money",
            (
                "By the statutory deposit guarantee up to 100,000 euros",
                "It is not protected in any way",
            ),
            "E-money and payment institutions must safeguard customer funds, but these funds "
            "are not covered by the deposit guarantee.",
        ),
        Fact(
            "brokers",
            3,
            "What happens to the securities in your custody account if your online broker goes "
            "bankrupt?",
            "They remain your property and are transferred to you or another broker",
            (
                "They become part of the broker's insolvency estate",
                "They are sold and you receive at most 100,000 euros",
            ),
            "Securities are segregated assets; they do not belong to the broker's estate.",
        ),
        Fact(
            "community",
            0,
            "Who owns a cooperative bank or a credit union?",
            "Its members",
            ("The central bank", "A group of outside investors", "The state"),
            "Members buy shares, and each member usually has one vote at the general meeting.",
        ),
        Fact(
            "community",
            1,
            "How can you best check the claims of an ethical bank?",
            "Read its published list of loans and its exclusion criteria",
            (
                "Look for the word green in its advertising",
                "Compare its interest rates with those of other banks",
            ),
            "Published loans and exclusion criteria show what deposits actually finance; "
            "advertising words do not.",
        ),
        Fact(
            "fees",
            0,
            "Which document shows everything you paid for your account in the past year?",
            "The annual statement of fees",
            (
                "The fee information document",
                "The general terms and conditions",
                "The account opening form",
            ),
            "Banks in the EU must give you a statement of all fees charged at least once a year; "
            "the fee information document shows the prices before you sign.",
        ),
        Fact(
            "switching",
            0,
            "What does the EU switching service do for you?",
            "It moves standing orders, direct debits and incoming payments to the new account",
            (
                "It closes your old account without asking you",
                "It moves your securities to a broker",
            ),
            "With your authorisation the new bank collects the recurring payments from the old "
            "bank and sets them up on the new account.",
        ),
        Fact(
            "switching",
            2,
            "A company refuses your IBAN because the account is in another EU country. Is that "
            "allowed?",
            "No, within SEPA an IBAN from another EU country may not be refused",
            (
                "Yes, every company chooses which countries it accepts",
                "Only for amounts above 1,000 euros",
            ),
            "The SEPA Regulation forbids this so-called IBAN discrimination.",
        ),
        Fact(
            "safety",
            4,
            "Someone calls in the name of your bank and asks for a confirmation code to stop a "
            "fraudulent payment. What do you do?",
            "Hang up and call the bank yourself on the number printed on your card",
            ("Read out the code so that the payment is stopped", "Send the code by email instead"),
            "A bank never asks for codes, PINs or passwords by phone; the call itself is the "
            "fraud.",
        ),
        Fact(
            "digital",
            0,
            "What is the typical trade-off of a neobank without branches?",
            "Low fees and a good app, but support mostly by chat",
            (
                "Higher fees in exchange for personal advice",
                "No way to pay by card",
                "No access to the SEPA payment system",
            ),
            "Neobanks save the cost of branches; in return, support runs mainly through the app.",
        ),
        Fact(
            "brokers",
            1,
            "Why is a broker without commission not necessarily free?",
            "Costs can be hidden in spreads, currency exchange or custody fees",
            (
                "Because brokers without commission are not supervised",
                "Because every order needs a notary",
            ),
            "Compare the total cost of a typical order, including spread and other fees.",
        ),
        Fact(
            "safety",
            2,
            "You have 150,000 euros in savings. How do you keep all of it within the deposit "
            "guarantee?",
            "Spread it across two banks that hold separate licences",
            (
                "Put it into two accounts at the same bank",
                "Open accounts with two brands of the same bank",
            ),
            "The limit applies per person and per licensed bank, so accounts and brands of the "
            "same bank share one limit.",
        ),
    ),
    tagline=(
        "Neobanks, credit unions, ethical banks, online brokers and payment apps compared, and "
        "a safe way to switch: pay less and bank the way you want."
    ),
    benefits=(
        "Find out what your current account really costs",
        "Compare neobanks, cooperative and ethical banks with clear criteria",
        "Understand how deposit protection works with each provider",
        "Protect your accounts against fraud and phishing",
        "Switch accounts without missing a payment",
    ),
    faq=(
        (
            "Does the course recommend particular banks?",
            "No. It is independent and gives you the criteria to compare providers yourself.",
        ),
        (
            "Is my money safe with a neobank?",
            "That depends on its licence. The course shows you how to check whether a provider "
            "is a bank covered by deposit protection.",
        ),
        (
            "Do I need financial knowledge?",
            "No. Every term is explained, and each lesson ends with a checklist.",
        ),
    ),
)

CUSTOM = CourseTexts(
    modules=(
        ModuleText(
            key="foundations",
            title="Foundations of “{short}”",
            summary="What “{course}” covers, why it matters and the terms you need from the start.",
            background=(
                "Every subject becomes easier once you know its shape: the questions it "
                "answers, the words experts use and the few ideas everything else builds on. "
                "This module gives you that map for “{short}” before going into detail.",
                "You do not need any prior knowledge. Each lesson starts from everyday "
                "experience and adds one new idea at a time, so that later modules can build on "
                "solid ground.",
            ),
            checklist=(
                "Write down why you want to learn about “{short}”",
                "Note three questions you want answered by the end",
                "Collect new terms in your own glossary",
                "Block fixed times in your calendar for the next lessons",
            ),
            example=(
                "{name}, {who}, wants to get started with “{short}”. Instead of collecting every "
                "article and video at once, {name} writes down three concrete questions and "
                "keeps a one-page glossary. After each lesson {name} adds two or three terms in "
                "plain words. By the end of the module the page answers the first question, and "
                "the other two have become much more precise."
            ),
            lessons=(
                LessonText(
                    "What “{short}” is about",
                    "A first overview of “{short}”: the questions it answers and what this "
                    "course covers.",
                    "“{short}” can look large at first. It becomes manageable once you separate "
                    "the core, which everyone needs, from the specialist topics, which only some "
                    "people need. This lesson draws that line and shows where each part of the "
                    "course fits.",
                ),
                LessonText(
                    "Why “{short}” matters to you",
                    "The concrete benefits you can expect and the problems “{short}” helps you "
                    "avoid.",
                    "Motivation lasts longer when it is concrete. Instead of a general promise, "
                    "this lesson names the situations in which “{short}” makes a visible "
                    "difference: saving time, avoiding costly mistakes and making decisions with "
                    "more confidence.",
                ),
                LessonText(
                    "Key terms of “{short}”",
                    "The handful of terms that come up again and again, explained in plain words.",
                    "Most confusion comes from words, not from ideas. A small set of terms "
                    "carries most of the meaning in “{short}”. Learn what each one means, how it "
                    "differs from similar words and how you will recognise it in practice.",
                ),
                LessonText(
                    "How this course on “{short}” works",
                    "How the modules build on each other, how long each step takes and how to "
                    "get the most out of it.",
                    "The course moves from the foundations to the core concepts, then to "
                    "practice and finally to your own situation. Each lesson takes about fifteen "
                    "minutes and ends with a checklist. One lesson a day with a short pause to "
                    "reflect works better than a single long session.",
                ),
                LessonText(
                    "Your starting point with “{short}”",
                    "A short self-check of what you already know and where to focus.",
                    "People start from different places. Answer a few honest questions about "
                    "what you already know and do, and mark the topics that feel unfamiliar. "
                    "That tells you which lessons to read closely and which you can skim.",
                ),
            ),
        ),
        ModuleText(
            key="core",
            title="Core concepts",
            summary="The central ideas of “{short}”, how they connect and which principles "
            "guide good decisions.",
            background=(
                "Experts rarely know more facts than beginners; they know which ideas are "
                "central and how they connect. This module focuses on those central ideas and "
                "leaves the details for later.",
                "Each concept comes with a plain definition, a reason why it matters and a "
                "typical situation in which you meet it. Try to explain each one in your own "
                "words before you move on.",
            ),
            checklist=(
                "Explain each central idea in one sentence",
                "Draw on one page how the ideas connect",
                "Find an example of each idea in your own life or work",
                "Mark the idea that is still unclear and come back to it",
            ),
            example=(
                "{name}, {who}, draws a simple map of the central ideas of “{short}” on one "
                "sheet of paper: the ideas as boxes, their connections as arrows. Where an arrow "
                "is missing or unclear, {name} rereads the lesson. Later the map becomes a quick "
                "reference whenever a real decision has to be made."
            ),
            lessons=(
                LessonText(
                    "The central ideas behind “{short}”",
                    "The few ideas everything else in “{short}” builds on, each with a plain "
                    "definition.",
                    "A handful of ideas explain most of what happens in “{short}”. This lesson "
                    "introduces them one by one, says why each of them matters and points out "
                    "where people tend to mix them up.",
                ),
                LessonText(
                    "How the parts of “{short}” fit together",
                    "Cause and effect, trade-offs and dependencies between the main building "
                    "blocks.",
                    "Ideas rarely work alone. Changing one part of “{short}” often affects "
                    "another, and many good decisions are really trade-offs. This lesson shows "
                    "the main connections so that you can predict what happens when something "
                    "changes.",
                ),
                LessonText(
                    "Principles and rules of thumb",
                    "Simple rules that experienced people follow, and the reasons behind them.",
                    "Rules of thumb save time because they condense experience into a sentence. "
                    "They work best when you know why they exist, because then you also know "
                    "when they do not apply. This lesson collects the most useful rules for "
                    "“{short}” together with their reasons.",
                ),
                LessonText(
                    "Telling good from bad practice",
                    "Criteria to judge advice, offers and information about “{short}”.",
                    "There is a lot of advice about “{short}”, and not all of it is good. Ask "
                    "who gives the advice, what they gain from it, whether it fits your "
                    "situation and whether it can be checked. These four questions filter out "
                    "most poor advice.",
                ),
                LessonText(
                    "“{short}” compared with the alternatives",
                    "Where “{short}” fits best, and when another approach serves you better.",
                    "No approach fits every situation. Comparing “{short}” with the main "
                    "alternatives on cost, effort, risk and benefit shows where it is strongest "
                    "and when it is wiser to choose something else.",
                ),
            ),
        ),
        ModuleText(
            key="practice",
            title="Practice step by step",
            summary="From a first small step to a routine: worked examples, tools and ways to "
            "track your progress with “{short}”.",
            background=(
                "Understanding grows fastest when you apply what you have learned. This module "
                "turns the concepts into small, concrete steps that you can take within a week.",
                "Start small on purpose. A first step that succeeds builds confidence and gives "
                "you real experience, which is worth more than a perfect plan that never starts.",
            ),
            checklist=(
                "Choose a small first step and a date for it",
                "Prepare the tools or documents you need",
                "Write down what happened after trying",
                "Adjust the next step to what you have learned",
            ),
            example=(
                "{name}, {who}, tries a first practical step with “{short}” on a quiet weekday "
                "evening: thirty minutes, one clear goal and a note of what happened. The first "
                "attempt is slower than expected, but the note shows exactly what to change. "
                "The second attempt, a week later, takes half the time."
            ),
            lessons=(
                LessonText(
                    "Your first practical step with “{short}”",
                    "A small, safe first step that you can take this week.",
                    "The first step should be small enough to finish in one sitting and safe "
                    "enough that a mistake costs nothing. This lesson helps you choose it, "
                    "prepare it and decide in advance how you will know that it worked.",
                ),
                LessonText(
                    "A worked example from start to finish",
                    "One complete case of “{short}”, step by step, with the decisions and the "
                    "reasons behind them.",
                    "Seeing a whole case from beginning to end shows how the concepts work "
                    "together. Follow the example step by step and pause at each decision: what "
                    "would you have done, and why?",
                ),
                LessonText(
                    "Tools and resources for “{short}”",
                    "Which tools, templates and sources help, and which you can safely ignore.",
                    "Good tools make practice easier, but too many tools distract. Start with "
                    "the few that cover the essential steps of “{short}”, learn them well and "
                    "add others only when a real need appears.",
                ),
                LessonText(
                    "Building a routine",
                    "How to turn single attempts into a habit that lasts.",
                    "Results come from repetition. A routine works when it is tied to a fixed "
                    "moment, takes little effort to start and gives you a visible sign of "
                    "progress. This lesson shows how to design such a routine for “{short}”.",
                ),
                LessonText(
                    "Measuring your progress",
                    "Simple measures that show whether your efforts with “{short}” pay off.",
                    "What you measure, you can improve. Choose one or two simple measures that "
                    "match your goal, record them regularly and look at the trend rather than at "
                    "single results.",
                ),
            ),
        ),
        ModuleText(
            key="pitfalls",
            title="Common pitfalls",
            summary="The mistakes beginners make with “{short}”, the myths that mislead them and "
            "how to recover when something goes wrong.",
            background=(
                "Most mistakes are predictable: they come from hurry, from overconfidence after "
                "early success or from advice that fits someone else's situation. Knowing them "
                "in advance is the cheapest way to avoid them.",
                "Mistakes are also part of learning. What matters is to notice them early, "
                "limit the damage and draw a lesson for the next time.",
            ),
            checklist=(
                "Compare your plan with the list of common mistakes",
                "Ask someone experienced to review your approach",
                "Set a limit on what a mistake may cost",
                "Write down what you will do differently next time",
            ),
            example=(
                "{name}, {who}, notices after a few weeks that the results with “{short}” have "
                "stopped improving. A comparison with the list of common mistakes shows the "
                "cause: {name} had skipped the review step to save time. With the review back "
                "in place, progress returns within two weeks."
            ),
            lessons=(
                LessonText(
                    "The most frequent mistakes with “{short}”",
                    "Five mistakes almost every beginner makes and how to avoid each of them.",
                    "The same mistakes appear again and again: starting too big, copying someone "
                    "else's approach, skipping the basics, not checking results and giving up "
                    "after the first setback. Each of them has a simple counter-measure.",
                ),
                LessonText(
                    "Myths and misunderstandings about “{short}”",
                    "Popular beliefs that sound plausible but do not hold up.",
                    "Some ideas about “{short}” are repeated so often that they sound true. This "
                    "lesson examines the most common ones, explains where they come from and "
                    "what the evidence actually says.",
                ),
                LessonText(
                    "Warning signs you should not ignore",
                    "Early signals that something is going wrong with “{short}”, and what they "
                    "mean.",
                    "Problems rarely appear out of nowhere. Rising effort with falling results, "
                    "growing uncertainty or promises that sound too good are signals worth "
                    "taking seriously. The earlier you react, the cheaper the fix.",
                ),
                LessonText(
                    "What to do when something goes wrong",
                    "A calm, step-by-step way to limit the damage and get back on track.",
                    "When something goes wrong, first stop the damage, then understand the cause "
                    "and only then fix it. Writing down what happened helps you avoid the same "
                    "mistake later and makes it easier to ask for help.",
                ),
                LessonText(
                    "Costs and effort, realistically",
                    "How much time, money and energy “{short}” really takes, without marketing "
                    "promises.",
                    "Expectations shape success. If you expect quick results without effort, the "
                    "first difficulty feels like failure. This lesson gives a realistic picture "
                    "of the time, money and energy that “{short}” needs.",
                ),
            ),
        ),
        ModuleText(
            key="applying",
            title="Applying it to your situation",
            summary="How to adapt “{short}” to the needs of {audiences} and turn it into a "
            "concrete plan.",
            background=(
                "General advice becomes useful only once it fits your situation: your time, "
                "your budget, your goals and your constraints. This module helps you turn what "
                "you have learned into decisions that are right for you.",
                "There is rarely one correct answer. A clear framework lets you compare "
                "options, make a decision you can explain and review it later.",
            ),
            checklist=(
                "Describe your situation in three sentences",
                "Name your most important goal and your main constraint",
                "Compare two options with the same criteria",
                "Write down your decision and a date to review it",
            ),
            example=(
                "{name}, {who}, writes down the current situation, the most important goal and "
                "the biggest constraint, which is limited time. Comparing two ways of using "
                "“{short}” with the same criteria, {name} chooses the simpler one and sets a "
                "date to review it in a month."
            ),
            lessons=(
                LessonText(
                    "“{short}” in your daily life",
                    "Where “{short}” shows up in everyday situations and how to use it there.",
                    "Learning sticks when it is connected to situations you meet anyway. This "
                    "lesson looks at ordinary days and points out moments where “{short}” can "
                    "make a difference with little extra effort.",
                ),
                LessonText(
                    "Adapting “{short}” to your situation",
                    "Adjusting the general approach to your time, budget and goals.",
                    "Your situation is not the average case. Adjust the general approach to the "
                    "time, money and support you actually have, and drop the parts that do not "
                    "fit instead of forcing them.",
                ),
                LessonText(
                    "Deciding with a clear framework",
                    "A simple way to compare options for “{short}” and make a decision you can "
                    "explain.",
                    "A decision framework needs only three parts: the options, the criteria that "
                    "matter to you and an honest score for each option on each criterion. It "
                    "turns a gut feeling into something you can discuss and review.",
                ),
                LessonText(
                    "Working with others",
                    "Involving family, colleagues or partners, and explaining “{short}” to them.",
                    "Few plans succeed alone. Explaining your plan to the people it affects, "
                    "asking for their view and agreeing on who does what makes it more robust "
                    "and often better.",
                ),
                LessonText(
                    "Your personal action plan",
                    "Three concrete steps with dates that turn the course on “{short}” into "
                    "action.",
                    "A plan is a list of steps with dates and a clear first action. Limit it to "
                    "three steps, make the first one small enough to start tomorrow and decide "
                    "when you will check your progress.",
                ),
            ),
        ),
        ModuleText(
            key="next",
            title="Next steps",
            summary="Review what you have learned, go deeper into “{short}” and keep your "
            "knowledge up to date.",
            background=(
                "Finishing a course is a beginning. Knowledge stays useful if you review it, "
                "apply it regularly and update it when circumstances change.",
                "This module helps you consolidate what you have learned, find good sources for "
                "going further and plan the next thirty days.",
            ),
            checklist=(
                "Summarise the course in five bullet points",
                "Choose one topic to explore in more depth",
                "Pick two reliable sources to follow",
                "Schedule a review in three months",
            ),
            example=(
                "{name}, {who}, finishes the course with a one-page summary of “{short}” and a "
                "thirty-day plan with one small task per week. Three months later a calendar "
                "reminder prompts a short review: what worked, what did not and what to learn "
                "next."
            ),
            lessons=(
                LessonText(
                    "Review: what you have learned about “{short}”",
                    "The key ideas of the course in one place, with a short self-test.",
                    "Recalling is more effective than rereading. Try to remember the key ideas "
                    "of each module before you look at your notes, then check what you missed. "
                    "The gaps show where a second look is worthwhile.",
                ),
                LessonText(
                    "Going deeper into “{short}”",
                    "Where to continue once the basics are in place, and how to choose.",
                    "Once the basics are secure, going deeper pays off most in the areas you "
                    "actually use. Choose one advanced topic that connects to your goals instead "
                    "of trying to cover everything.",
                ),
                LessonText(
                    "Staying up to date",
                    "How to follow changes in “{short}” without drowning in information.",
                    "Fields change, and so does the best advice. Follow a small number of "
                    "reliable sources, check their claims against each other and revisit your "
                    "decisions when something important changes.",
                ),
                LessonText(
                    "Your 30-day plan",
                    "A simple plan with one task per week to keep up the momentum after the "
                    "course.",
                    "Momentum fades quickly after a course. A thirty-day plan with one small "
                    "task per week keeps what you have learned alive and turns it into a habit.",
                ),
                LessonText(
                    "Where to find help and community",
                    "People, groups and services that can support you with “{short}”.",
                    "Learning with others is easier and more fun. Look for groups, forums, local "
                    "courses or advisers who work with “{short}”, and check their independence "
                    "before you rely on their advice.",
                ),
            ),
        ),
    ),
    merged={},
    audience_tips={
        Audience.PRIVATE_INDIVIDUALS: "Start with one area of your private life where "
        "“{short}” helps right away, and involve the people you live with.",
        Audience.EMPLOYEES: "Look for one task at work where “{short}” saves time this month, "
        "and share the result with your team.",
        Audience.SELF_EMPLOYED: "Every hour counts: apply “{short}” first where it saves you "
        "time or money with clients, and write down what works.",
        Audience.STUDENTS: "Connect “{short}” to your studies or your side job, and use the "
        "checklists as a study plan.",
        Audience.RETIREES: "Take your time: one lesson a day is plenty, and “{short}” is easier "
        "to practise together with friends or family.",
        Audience.SMALL_BUSINESSES: "Try “{short}” in one part of the business first, measure "
        "the effect and then introduce it to the whole team.",
        Audience.PUBLIC_SECTOR: "Check which rules and procedures of your administration apply "
        "before you change how you work with “{short}”.",
    },
    facts=(),
    tagline=(
        "A clear, practical course on “{short}”: from the foundations to your own action plan, "
        "in short lessons with examples and checklists."
    ),
    benefits=(
        "Understand the foundations and key terms of “{short}”",
        "Learn the central ideas and how they fit together",
        "Practise with worked examples and simple checklists",
        "Avoid the most common mistakes",
        "Leave with a personal action plan",
    ),
    faq=(
        (
            "Do I need prior knowledge?",
            "No. The course starts with the foundations and explains every term when it first "
            "appears.",
        ),
        (
            "How are the lessons structured?",
            "Each lesson has an explanation, a worked example, a checklist and a summary; a quiz "
            "closes the course.",
        ),
        (
            "Who are the examples written for?",
            "For {audiences}, with tips for each of these situations.",
        ),
    ),
)

PACK = LanguagePack(
    words=WORDS, audiences=AUDIENCES, personas=PERSONAS, banking=BANKING, custom=CUSTOM
)
