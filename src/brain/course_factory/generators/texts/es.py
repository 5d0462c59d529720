"""Textos en español del generador de plantillas (Spanish texts of the template generator)."""

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
    code="es",
    lq="«",
    rq="»",
    inner_lq="“",
    inner_rq="”",
    colon=":",
    lowercase_step=True,
    and_="y",
    untitled="este curso",
    intro="Esta lección forma parte del módulo {module} del curso {course}. {summary}",
    audience_line="Dirigido a: {audiences}.",
    key_heading="La idea clave",
    background_heading="Contexto",
    example_heading="Ejemplo: {name}",
    checklist_heading="Lista de comprobación",
    tips_heading="Consejos para su situación",
    summary_heading="Resumen",
    summary_text="En pocas palabras: {summary} Su primer paso: {step}.",
    next_lesson="Próxima lección: {title}.",
    module_done="Con esto termina el módulo {module}.",
    course_done="Era la última lección del curso. ¡Enhorabuena!",
    description_label="De la descripción del curso:",
    key_fallback=(
        "{summary} Esta lección explica la idea paso a paso, muestra lo que significa en la "
        "práctica y termina con una lista de comprobación que puede seguir enseguida."
    ),
    background_fallback=(
        "El módulo {module} trata de lo siguiente: {module_summary}",
        "Lea la lección una vez para tener una visión general y una segunda vez pensando en su "
        "propia situación, y anote los puntos que le afectan.",
    ),
    checklist_fallback=(
        "Resumir la idea clave de esta lección en una frase",
        "Anotar una pregunta que siga abierta",
        "Elegir un paso que dará esta semana",
        "Repasar la lección dentro de unos días",
    ),
    example_fallback=(
        "{name}, {who}, lee la lección {lesson} con una pregunta concreta en mente y anota la "
        "respuesta en dos frases. Una semana después, {name} prueba la idea más útil y anota "
        "qué ha cambiado. Esa breve nota es la mejor preparación para la lección siguiente."
    ),
    lesson_question="¿Qué afirmación describe la lección {title}?",
    lesson_explanation="La lección {title} del módulo {module} trata de lo siguiente: {summary}",
    module_question="¿En qué módulo está la lección {title}?",
    module_option="Módulo {number}: {title}",
    module_explanation=(
        "La lección {title} es la lección {lesson_number} del módulo {number}, {module}."
    ),
    hero_facts="{modules} módulos, {lessons} lecciones",
    hero_audience="Para {audiences}",
    benefits_heading="Lo que aprenderá",
    audience_heading="Para quién es este curso",
    curriculum_heading="Programa",
    curriculum_body=(
        "{modules} módulos con {lessons} lecciones, cada una con un ejemplo, una lista de "
        "comprobación y un resumen, y un cuestionario final."
    ),
    curriculum_item="Módulo {number}: {title} ({count} lecciones)",
    faq_heading="Preguntas frecuentes",
    faq_duration=(
        "¿Cuánto dura el curso?",
        "{lessons} lecciones de unos quince minutos cada una; usted marca el ritmo.",
    ),
    cta_heading="Empiece a aprender hoy",
    cta_body="Inscríbase ahora y termine su primera lección en menos de quince minutos.",
)

AUDIENCES = {
    Audience.PRIVATE_INDIVIDUALS: "particulares",
    Audience.EMPLOYEES: "empleados",
    Audience.SELF_EMPLOYED: "autónomos",
    Audience.STUDENTS: "estudiantes",
    Audience.RETIREES: "jubilados",
    Audience.SMALL_BUSINESSES: "pequeñas empresas",
    Audience.PUBLIC_SECTOR: "empleados públicos",
}

PERSONAS = {
    Audience.PRIVATE_INDIVIDUALS: Persona(
        "Lucía", "que organiza el presupuesto de una familia con dos hijos"
    ),
    Audience.EMPLOYEES: Persona("Ana", "enfermera a tiempo completo con turnos rotativos"),
    Audience.SELF_EMPLOYED: Persona(
        "Marco", "diseñador gráfico autónomo con clientes en varios países"
    ),
    Audience.STUDENTS: Persona("Lea", "estudiante universitaria con un trabajo a tiempo parcial"),
    Audience.RETIREES: Persona(
        "Carmen", "que se jubiló el año pasado tras cuarenta años como maestra"
    ),
    Audience.SMALL_BUSINESSES: Persona("Priya", "que dirige una panadería con tres empleados"),
    Audience.PUBLIC_SECTOR: Persona(
        "Tomás", "que trabaja en la administración de una ciudad mediana"
    ),
}

BANKING = CourseTexts(
    modules=(
        ModuleText(
            key="fees",
            title="Su banco, sus costes y las alternativas",
            summary=(
                "«{course}» empieza con una mirada honesta a lo que le cuesta su cuenta "
                "corriente y a los proveedores que compiten con los bancos tradicionales."
            ),
            background=(
                "Los bancos tradicionales financian sus oficinas y su personal con comisiones "
                "de mantenimiento, márgenes de intereses y la venta de productos como fondos o "
                "seguros. No es nada reprochable, pero significa que quizá pague por servicios "
                "que nunca usa.",
                "Las alternativas se especializan: algunas son más baratas porque no tienen "
                "oficinas, otras cuestan algo más pero le dan voz o una política de crédito "
                "ética clara. La elección correcta depende de lo que tenga que hacer su dinero.",
            ),
            checklist=(
                "Descargar el estado anual de comisiones",
                "Marcar cada comisión que podría haber evitado",
                "Anotar los servicios bancarios que usa cada mes",
                "Apuntar lo que echaría de menos sin oficina",
            ),
            example=(
                "{name}, {who}, suma por primera vez las comisiones bancarias del año pasado: "
                "una comisión de mantenimiento, una cuota de tarjeta, comisiones por sacar "
                "dinero en cajeros de otros bancos y un cargo por un pago en moneda extranjera. "
                "El total es mucho mayor de lo que hacía pensar la cuota mensual. Con esta "
                "cifra, {name} ya puede juzgar si otra oferta ahorra dinero de verdad."
            ),
            lessons=(
                LessonText(
                    "Lo que de verdad cuesta su cuenta corriente",
                    "Mantenimiento, cuota de tarjeta, intereses de descubierto y cargos por "
                    "cambio de divisa se suman; aprenderá a encontrarlos todos.",
                    "La mayoría conoce su comisión mensual, pero no el resto. La cuota de la "
                    "tarjeta, los extractos en papel, los intereses de descubierto, las "
                    "retiradas en cajeros ajenos y los recargos por pagos en divisas cuestan a "
                    "menudo más que la propia cuenta. El estado anual de comisiones, que los "
                    "bancos de la UE deben entregarle, recoge todo lo que pagó el año anterior.",
                ),
                LessonText(
                    "El mapa de las alternativas",
                    "Neobancos, cooperativas de crédito, banca ética, brókeres en línea y apps "
                    "de pago: quiénes son y qué hacen.",
                    "Las alternativas al banco tradicional se agrupan en unas pocas familias. "
                    "Los neobancos son bancos que funcionan desde una app, casi siempre sin "
                    "oficinas. Las cooperativas de crédito pertenecen a sus socios. La banca "
                    "ética solo presta a proyectos con un fin social o ecológico. Los brókeres "
                    "en línea permiten invertir con costes bajos, y las apps de pago mueven "
                    "dinero entre personas y comercios. Mucha gente combina dos o tres de "
                    "ellos.",
                ),
                LessonText(
                    "Leer un folleto de tarifas",
                    "Cómo leer el libro de tarifas y el documento informativo de las comisiones "
                    "y comparar ofertas línea por línea.",
                    "En la UE, cada banco debe publicar para sus cuentas de pago un documento "
                    "informativo de las comisiones con los mismos términos normalizados, para "
                    "que las ofertas se puedan comparar línea por línea. Mire primero la cuota "
                    "mensual, después las condiciones que lleva asociadas, como unos ingresos "
                    "mínimos al mes, y por último el precio de los servicios que realmente usa.",
                ),
                LessonText(
                    "Los servicios que realmente necesita",
                    "Nómina, tarjetas, efectivo, ahorro, inversión, uso profesional: un breve "
                    "inventario de lo que debe hacer su dinero.",
                    "Antes de comparar proveedores, anote lo que deben hacer sus cuentas: "
                    "recibir ingresos, pagar el alquiler y los recibos, darle efectivo, guardar "
                    "ahorros y quizá invertir o separar el dinero del negocio. Una oferta barata "
                    "para quien solo paga con tarjeta puede salir cara a quien necesita a "
                    "menudo efectivo u oficina.",
                ),
                LessonText(
                    "Gratis no siempre es gratis",
                    "Condiciones, paquetes y venta cruzada: cómo se pagan las cuentas gratuitas "
                    "y cuándo dejan de serlo.",
                    "Una cuenta gratuita se paga de algún modo: con condiciones como domiciliar "
                    "una nómina mínima, con planes premium de pago, con márgenes de intereses o "
                    "con la venta de otros productos. Lea qué ocurre si no cumple las "
                    "condiciones, porque muchas cuentas gratuitas empiezan entonces a cobrar una "
                    "cuota mensual.",
                ),
            ),
        ),
        ModuleText(
            key="digital",
            title="Neobancos y apps de pago",
            summary="Cómo funcionan los bancos en una app y las apps de pago, cuánto cuestan y "
            "dónde están sus límites.",
            background=(
                "Los proveedores digitales se ahorran el coste de las oficinas y trasladan "
                "parte de ese ahorro en forma de comisiones bajas y apps rápidas y bien "
                "diseñadas. Las notificaciones en tiempo real, las categorías de gasto y el "
                "bloqueo inmediato de la tarjeta son lo habitual.",
                "A cambio hay menos atención personal, bloqueos ocasionales de cuentas durante "
                "revisiones de cumplimiento y, en algunos proveedores, menos protección porque "
                "no son bancos.",
            ),
            checklist=(
                "Comprobar si el proveedor tiene licencia bancaria completa",
                "Comparar el plan gratuito con los planes premium",
                "Probar la atención al cliente antes de cambiar la nómina",
                "Mantener una segunda cuenta con tarjeta como reserva",
            ),
            example=(
                "{name}, {who}, abre una cuenta gratuita en un neobanco y al principio solo la "
                "usa para los pagos con tarjeta del día a día. Tras dos meses sin problemas y "
                "con una visión clara de todos los gastos en la app, {name} traslada allí los "
                "ingresos habituales, pero conserva la cuenta antigua con un saldo pequeño y su "
                "tarjeta como reserva."
            ),
            lessons=(
                LessonText(
                    "Qué es un neobanco",
                    "Bancos que viven en una app: licencia, funciones y diferencias con un banco "
                    "tradicional.",
                    "Un neobanco ofrece cuentas corrientes a través de una app, casi siempre "
                    "sin oficinas. Algunos tienen licencia bancaria completa; otros son "
                    "entidades de dinero electrónico o trabajan con un banco asociado que tiene "
                    "la licencia. Esto importa, porque solo los depósitos en un banco autorizado "
                    "están cubiertos por la garantía legal de depósitos.",
                ),
                LessonText(
                    "Abrir una cuenta por vídeo o desde la app",
                    "Verificación de identidad, documentos y qué esperar en los primeros días "
                    "de una cuenta digital.",
                    "Los bancos digitales comprueban su identidad con una videollamada, con una "
                    "foto del documento de identidad y un selfi, o con un DNI electrónico. "
                    "Tenga a mano su documento, su número fiscal si se lo piden y una conexión "
                    "a internet estable. La tarjeta suele llegar por correo en pocos días; una "
                    "tarjeta virtual a menudo funciona al instante.",
                ),
                LessonText(
                    "Apps de pago y monederos móviles",
                    "Monederos móviles, pagos entre particulares y transferencias inmediatas: "
                    "cómodo, pero ¿dónde está el dinero?",
                    "Las apps de pago y los monederos móviles hacen que pagar y enviar dinero "
                    "sea muy rápido. Algunas solo trasladan los pagos a su tarjeta bancaria; "
                    "otras mantienen un saldo propio. Un saldo en una entidad de dinero "
                    "electrónico está salvaguardado, es decir, separado del dinero de la "
                    "empresa, pero no está cubierto por la garantía de depósitos.",
                ),
                LessonText(
                    "Atención al cliente, caídas y cuentas bloqueadas",
                    "Qué hacer cuando la app no funciona, la tarjeta está bloqueada o la "
                    "atención solo responde por chat.",
                    "Sin oficina, la atención se presta por chat, correo electrónico o "
                    "teléfono. A veces las cuentas se bloquean por revisiones contra el "
                    "blanqueo de capitales, en ocasiones durante días. Mantenga una segunda "
                    "cuenta con tarjeta en otro proveedor para poder pagar el alquiler y la "
                    "compra si una cuenta no está disponible.",
                ),
                LessonText(
                    "Lo que cuestan las cuentas digitales",
                    "Planes gratuitos, planes premium, límites de efectivo y cambio de divisa: "
                    "el precio real de una cuenta en una app.",
                    "La mayoría de los neobancos tiene un plan gratuito con límites, como unas "
                    "pocas retiradas gratuitas al mes, y planes premium con cuota mensual. "
                    "Compare las comisiones por efectivo, por divisas y por una tarjeta de "
                    "sustitución, no solo el precio anunciado.",
                ),
            ),
        ),
        ModuleText(
            key="community",
            title="Cooperativas de crédito y banca ética",
            summary="Bancos propiedad de sus socios y bancos guiados por valores: cómo "
            "funcionan, qué ofrecen y en qué fijarse.",
            background=(
                "Las cooperativas de crédito y la banca ética anteponen algo distinto al "
                "máximo beneficio: sus socios, su territorio o la finalidad de sus préstamos. "
                "Muchas publican más información sobre el uso de los depósitos que los grandes "
                "bancos.",
                "Suelen ser más pequeñas y pueden resultar algo más caras. A cambio, usted "
                "tiene voz como socio y la certeza de que su dinero no financia actividades "
                "que rechaza.",
            ),
            checklist=(
                "Leer los criterios de financiación y de exclusión del banco",
                "Comprobar el precio de la aportación al capital social",
                "Averiguar qué cajeros puede usar gratis",
                "Preguntar si el banco ofrece todos los productos que necesita",
            ),
            example=(
                "{name}, {who}, quiere que el dinero de la cuenta financie energías renovables "
                "y no carbón. {name} compara dos bancos éticos y una cooperativa de crédito, "
                "lee las listas de préstamos que publican y elige aquel cuyos préstamos "
                "encajan con esos valores, aunque cobre una cuota mensual de unos pocos euros."
            ),
            lessons=(
                LessonText(
                    "Propiedad de sus socios: las cooperativas de crédito",
                    "Cómo funciona ser socio, qué es una aportación al capital y por qué el "
                    "beneficio no es el único objetivo.",
                    "Las cooperativas de crédito pertenecen a sus socios. Al entrar, "
                    "normalmente suscribe una o varias aportaciones y obtiene un voto en la "
                    "asamblea general, por lo general un voto por socio sin importar cuántas "
                    "aportaciones tenga. Los beneficios van a reservas, a mejores condiciones o "
                    "a una remuneración para los socios en lugar de a accionistas externos.",
                ),
                LessonText(
                    "Qué hace la banca ética con su dinero",
                    "Préstamos transparentes, criterios de exclusión y cómo comprobar lo que "
                    "afirma un banco.",
                    "La banca ética presta los depósitos a proyectos de energías renovables, "
                    "vivienda, educación o agricultura ecológica, y excluye sectores como el "
                    "armamento o el carbón. Muchos bancos éticos publican cada préstamo que "
                    "conceden. Revise la lista publicada de préstamos y los criterios de "
                    "exclusión en lugar de fiarse de palabras como verde o sostenible en la "
                    "publicidad.",
                ),
                LessonText(
                    "Servicios y límites de los bancos pequeños",
                    "Oficinas, apps, cajeros y productos: lo que un banco pequeño puede ofrecer "
                    "y lo que no.",
                    "Los bancos pequeños suelen tener menos oficinas y una app más sencilla, "
                    "pero ofrecen asesoramiento personal y decisiones tomadas cerca de usted. "
                    "Compruebe qué red de cajeros puede usar gratis, si la app admite "
                    "transferencias inmediatas y monederos móviles, y si el banco ofrece los "
                    "productos que necesita, como una cuenta para su negocio o una hipoteca.",
                ),
                LessonText(
                    "Aportaciones al capital y comisiones",
                    "Por qué quizá pague una aportación o una cuota mensual, y cómo se compara "
                    "con las cuentas gratuitas.",
                    "La banca ética y las cooperativas cobran a menudo una cuota mensual, y "
                    "algunas piden una aportación al capital social. La aportación no es una "
                    "comisión: es capital que normalmente recupera al darse de baja, aunque "
                    "puede perder valor si el banco tiene pérdidas y, a diferencia de sus "
                    "depósitos, no está cubierta por la garantía de depósitos.",
                ),
                LessonText(
                    "Elegir un banco acorde con sus valores",
                    "Un método sencillo de puntuación para sopesar valores, servicio y precio.",
                    "Anote las tres cosas que más le importan, por ejemplo que no financie "
                    "combustibles fósiles, una oficina cercana y una comisión baja. Puntúe cada "
                    "banco de uno a cinco en cada punto y pondere las puntuaciones. El "
                    "resultado no decide por usted, pero muestra enseguida qué compromiso está "
                    "aceptando.",
                ),
            ),
        ),
        ModuleText(
            key="brokers",
            title="Brókeres en línea e inversión",
            summary="Invertir sin oficina: cómo funcionan los brókeres en línea, cuánto cobran "
            "y cómo se protegen sus valores.",
            background=(
                "Los brókeres en línea han hecho que invertir sea barato y accesible: muchas "
                "órdenes cuestan un euro o nada, y los planes de inversión empiezan con "
                "importes pequeños. Así resulta fácil crear patrimonio a largo plazo con "
                "fondos amplios y baratos.",
                "Esa misma facilidad tienta a operar demasiado. Los costes, los impuestos y "
                "las emociones reducen la rentabilidad, así que un plan sencillo importa más "
                "que la elección de la app.",
            ),
            checklist=(
                "Comparar el coste total de una orden típica",
                "Revisar las comisiones de custodia y de cambio de divisa",
                "Averiguar cómo gestiona el bróker los impuestos",
                "Empezar con un plan de inversión en un ETF amplio",
            ),
            example=(
                "{name}, {who}, tiene un fondo de emergencia de tres meses de gastos en una "
                "cuenta de ahorro y quiere invertir a largo plazo. {name} abre una cuenta de "
                "valores en un bróker en línea y configura un plan de inversión mensual de 100 "
                "euros en un ETF de acciones mundial, sin intentar adivinar el mejor momento "
                "para entrar en el mercado."
            ),
            lessons=(
                LessonText(
                    "Cómo funciona un bróker en línea",
                    "Cuenta de valores, cuenta de efectivo y envío de órdenes: la mecánica "
                    "básica de un bróker en línea.",
                    "Un bróker en línea le abre una cuenta de valores y, normalmente, una "
                    "cuenta de efectivo para liquidar las operaciones. Usted da las órdenes en "
                    "la app y el bróker las envía a una bolsa o a otro centro de negociación. "
                    "Sus valores siguen siendo de su propiedad y se custodian separados de los "
                    "activos del bróker.",
                ),
                LessonText(
                    "Comisiones, diferenciales y pago por flujo de órdenes",
                    "Comisiones por orden, de custodia, diferenciales y por qué cero comisiones "
                    "no significa cero costes.",
                    "Los brókeres ganan dinero con las comisiones por orden, la custodia, el "
                    "cambio de divisa, los intereses del efectivo y a veces el pago por flujo "
                    "de órdenes, cuando el centro de negociación paga al bróker por sus "
                    "órdenes. Un bróker sin comisiones puede costarle dinero igualmente con "
                    "diferenciales más amplios, así que compare el coste total de una orden "
                    "típica.",
                ),
                LessonText(
                    "Planes de inversión con ETF",
                    "Invertir con regularidad en fondos indexados baratos: cómo funcionan los "
                    "planes y en qué fijarse.",
                    "Un plan de inversión invierte cada mes un importe fijo, a menudo desde "
                    "pocos euros, en un ETF que replica un índice amplio. Invertir con "
                    "regularidad reparte sus compras en el tiempo. Fíjese en los gastos "
                    "corrientes del fondo, en la comisión de cada aportación y en si el bróker "
                    "ofrece el ETF como plan gratuito.",
                ),
                LessonText(
                    "Cómo se protegen sus valores",
                    "Patrimonio separado, indemnización de inversores y diferencias con la "
                    "garantía de depósitos.",
                    "Los valores de su cuenta son patrimonio separado: si el bróker quiebra, no "
                    "forman parte de su masa concursal y se traspasan a usted o a otro bróker. "
                    "El efectivo recibe otro trato y solo lo cubre la garantía de depósitos si "
                    "está en un banco. Los sistemas de indemnización de inversores de la UE "
                    "cubren al menos 20.000 euros de determinadas reclamaciones, por ejemplo si "
                    "un bróker ha desviado activos de sus clientes.",
                ),
                LessonText(
                    "Impuestos y declaraciones",
                    "Lo que hace un bróker nacional o extranjero por su declaración de la renta "
                    "y lo que tiene que hacer usted.",
                    "Según el país, un bróker nacional puede retener automáticamente los "
                    "impuestos sobre ganancias y dividendos, mientras que uno extranjero le "
                    "deja la declaración a usted. Pida un modelo del informe fiscal anual antes "
                    "de abrir la cuenta y guarde todos los precios de compra. Si tiene dudas, "
                    "consulte a un asesor fiscal antes de traspasar una cartera grande.",
                ),
            ),
        ),
        ModuleText(
            key="safety",
            title="Garantía de depósitos y seguridad",
            summary="Lo seguro que está su dinero en cada tipo de proveedor y cómo proteger "
            "sus cuentas contra el fraude.",
            background=(
                "La protección varía según el proveedor: la garantía de depósitos cubre a los "
                "bancos, las normas de salvaguarda a las entidades de dinero electrónico y de "
                "pago, y la separación de patrimonios a los valores en los brókeres. Saber qué "
                "norma se aplica le dice cuánto riesgo asume.",
                "Sin embargo, la mayor parte del dinero no se pierde por quiebras bancarias, "
                "sino por fraudes. Los buenos hábitos con el móvil y una sana desconfianza ante "
                "llamadas y mensajes urgentes protegen mejor que cualquier garantía.",
            ),
            checklist=(
                "Comprobar quién tiene la licencia bancaria",
                "Mantener el ahorro por debajo del límite de garantía en cada banco",
                "Activar el bloqueo de pantalla y las actualizaciones automáticas",
                "Guardar el número de emergencia de su banco",
            ),
            example=(
                "{name}, {who}, recibe un SMS que parece del banco: la cuenta se bloqueará si "
                "hoy no se abre un enlace. {name} no pulsa el enlace, abre directamente la app "
                "del banco, no encuentra ningún aviso y llama al número impreso en la tarjeta. "
                "El banco confirma que el mensaje era phishing."
            ),
            lessons=(
                LessonText(
                    "Cómo funciona la garantía de depósitos",
                    "La garantía legal de depósitos: a quién cubre, hasta qué importe y con qué "
                    "rapidez se paga.",
                    "En la UE, los depósitos en un banco autorizado están protegidos por un "
                    "sistema legal de garantía de depósitos hasta 100.000 euros por persona y "
                    "por banco. Si el banco quiebra, el sistema paga en un plazo de siete días "
                    "hábiles. Las cuentas conjuntas cuentan para cada titular, y los saldos "
                    "elevados de forma temporal, por ejemplo tras vender una vivienda, pueden "
                    "estar protegidos por encima del límite durante un tiempo limitado.",
                ),
                LessonText(
                    "Bancos, entidades de dinero electrónico y brókeres",
                    "Qué norma protege su dinero y dónde: garantía de depósitos, salvaguarda y "
                    "patrimonio separado.",
                    "En un banco, los depósitos están cubiertos por la garantía de depósitos. "
                    "En una entidad de dinero electrónico o de pago, su dinero está "
                    "salvaguardado: debe mantenerse separado del dinero de la empresa, pero "
                    "ningún sistema le paga si esa separación falla. En un bróker, los valores "
                    "son patrimonio separado, y la protección del efectivo depende de dónde lo "
                    "guarde el bróker.",
                ),
                LessonText(
                    "Repartir el dinero entre proveedores",
                    "Por qué y cómo dividir importes grandes para que cada euro quede dentro de "
                    "los límites de protección.",
                    "Si sus ahorros superan el límite de protección, repártalos entre varios "
                    "bancos. El límite se aplica por banco, no por marca: dos marcas que "
                    "pertenecen al mismo banco autorizado comparten un único límite. El nombre "
                    "del titular de la licencia figura en el aviso legal y en el documento "
                    "informativo para depositantes que todo banco debe entregarle.",
                ),
                LessonText(
                    "Proteger su acceso y su móvil",
                    "Autenticación reforzada, seguridad del dispositivo y hábitos que mantienen "
                    "sus cuentas a salvo.",
                    "Su app bancaria es tan segura como su móvil. Use un bloqueo de pantalla, "
                    "mantenga el sistema actualizado, instale apps solo desde la tienda oficial "
                    "y active el acceso biométrico cuando se ofrezca. La autenticación "
                    "reforzada significa que los accesos y los pagos requieren dos factores "
                    "independientes; no apruebe nunca una solicitud que no haya iniciado usted.",
                ),
                LessonText(
                    "Reconocer el fraude y el phishing",
                    "Llamadas, mensajes y webs falsos: los patrones de los estafadores y qué "
                    "hacer tras un error.",
                    "Los estafadores se hacen pasar por su banco, la policía o una empresa de "
                    "mensajería y meten prisa. Su banco nunca le pedirá su PIN, su contraseña "
                    "ni un código de confirmación por teléfono, SMS o correo electrónico. Si ha "
                    "caído en la trampa, llame enseguida al número de emergencia de su banco "
                    "para bloquear la cuenta y la tarjeta, y denuncie el caso a la policía.",
                ),
            ),
        ),
        ModuleText(
            key="switching",
            title="Cambiar de cuenta con seguridad",
            summary="Trasladar ingresos, transferencias periódicas y domiciliaciones a una "
            "cuenta nueva sin perder ningún pago.",
            background=(
                "Cambiar de banco es mucho más fácil de lo que mucha gente cree. El servicio de "
                "traslado de cuentas traspasa las transferencias periódicas y las "
                "domiciliaciones e informa a las empresas implicadas, y la mayoría de los "
                "proveedores nuevos le guían en la app.",
                "El riesgo está en los pagos olvidados, como la prima anual de un seguro o una "
                "suscripción que apenas usa. Mantener las dos cuentas en paralelo durante un "
                "tiempo permite detectarlos antes de que generen un recargo.",
            ),
            checklist=(
                "Abrir la cuenta nueva antes de cerrar la antigua",
                "Solicitar el servicio de traslado de cuentas",
                "Comunicar el nuevo IBAN a la empresa o a la entidad que paga la pensión",
                "Cerrar la cuenta antigua tras un mes sin pagos",
            ),
            example=(
                "{name}, {who}, solicita un sábado el servicio de traslado del banco nuevo. En "
                "dos semanas, los ingresos, el alquiler y la mayoría de las domiciliaciones ya "
                "pasan por la cuenta nueva. En la tercera semana todavía llega a la cuenta "
                "antigua la prima anual de un seguro; como sigue abierta, el pago se atiende, y "
                "{name} comunica el nuevo IBAN a la aseguradora."
            ),
            lessons=(
                LessonText(
                    "Su derecho al traslado de cuentas",
                    "Lo que hace por usted el servicio de traslado previsto por la UE y qué "
                    "plazos deben cumplir los bancos.",
                    "Según la directiva europea de cuentas de pago, su banco nuevo debe "
                    "ofrecer un servicio de traslado. Con su autorización, pide al banco "
                    "antiguo la lista de transferencias periódicas, ingresos recibidos y "
                    "domiciliaciones, las configura en la cuenta nueva y puede informar a los "
                    "ordenantes y a las empresas que le cargan recibos. Todo el proceso debe "
                    "completarse en unos trece días hábiles.",
                ),
                LessonText(
                    "Planificar el cambio",
                    "Un calendario desde la apertura de la cuenta nueva hasta el cierre de la "
                    "antigua.",
                    "Abra primero la cuenta nueva y mantenga ambas cuentas en paralelo durante "
                    "uno o dos meses. Traslade sus ingresos y las domiciliaciones más "
                    "importantes a principios de mes, cuando ya hayan salido los pagos grandes. "
                    "Cierre la cuenta antigua solo cuando ya no lleguen pagos a ella y "
                    "cualquier descubierto esté saldado.",
                ),
                LessonText(
                    "Transferencias periódicas, domiciliaciones e ingresos",
                    "Quién necesita su nuevo IBAN y cómo asegurarse de no olvidar a nadie.",
                    "Revise los extractos de doce meses y anote cada pago periódico: alquiler, "
                    "seguros, luz, teléfono, suscripciones e impuestos. Su empresa, la entidad "
                    "que paga su pensión y las administraciones necesitan su nuevo IBAN para "
                    "los ingresos. En la zona SEPA, una empresa no puede rechazar un IBAN de "
                    "otro país de la UE, algo que ayuda si elige un neobanco con sede en el "
                    "extranjero.",
                ),
                LessonText(
                    "Cerrar la cuenta antigua",
                    "Cancelar, transferir el saldo y guardar los documentos que aún necesitará.",
                    "Cierre la cuenta antigua por escrito e indique el nuevo IBAN para el saldo "
                    "restante. Descargue los extractos de los últimos años antes de perder el "
                    "acceso, porque puede necesitarlos para impuestos o reclamaciones. Cancele "
                    "tarjetas, descubiertos y productos vinculados, y compruebe que no le "
                    "cobran comisiones después del cierre.",
                ),
                LessonText(
                    "Su lista de comprobación para el cambio",
                    "Una lista de una página para completar el cambio en un fin de semana y "
                    "revisarlo un mes después.",
                    "Un buen cambio cabe en un fin de semana: abrir la cuenta, solicitar el "
                    "servicio de traslado, actualizar los pagos que el servicio no cubre y "
                    "poner un recordatorio para dentro de cuatro semanas. Pasado un mes, "
                    "compruebe que cada pago esperado ha llegado a la cuenta nueva y que no se "
                    "ha cargado nada en la antigua.",
                ),
            ),
        ),
    ),
    merged={
        "digital+brokers": (
            "Neobancos, apps de pago y brókeres en línea",
            "Proveedores digitales para el dinero del día a día y para invertir: cómo "
            "funcionan, cuánto cuestan y dónde están sus límites.",
        ),
        "safety+switching": (
            "Primero la seguridad, después el cambio",
            "Cómo está protegido su dinero en cada proveedor, cómo mantener seguras sus "
            "cuentas y cómo trasladarlas sin perder ningún pago.",
        ),
    },
    audience_tips={
        Audience.PRIVATE_INDIVIDUALS: "Piense en todo el hogar: una cuenta conjunta para los "
        "gastos comunes y cuentas individuales para los gastos personales suelen funcionar "
        "bien.",
        Audience.EMPLOYEES: "Su cuenta nómina es el centro de sus finanzas; trasládela la "
        "última, cuando la cuenta nueva haya demostrado que funciona.",
        Audience.SELF_EMPLOYED: "Separe el dinero del negocio y el personal. Muchas cuentas "
        "gratuitas no permiten el uso profesional, así que revise las condiciones o abra una "
        "cuenta específica para su actividad.",
        Audience.STUDENTS: "Muchos bancos ofrecen cuentas gratuitas a estudiantes y aprendices "
        "hasta cierta edad; apunte cuándo termina el periodo gratuito.",
        Audience.RETIREES: "Si el trato personal es importante para usted, compruebe el acceso "
        "a oficinas y la atención telefónica, y piense en un poder para una persona de "
        "confianza.",
        Audience.SMALL_BUSINESSES: "Busque cuentas de empresa con varias tarjetas, permisos de "
        "acceso para el personal, conexión con su programa de contabilidad y una forma de "
        "ingresar efectivo.",
        Audience.PUBLIC_SECTOR: "Compruebe si su administración o su sindicato tienen acuerdos "
        "con determinados bancos, y comunique a tiempo el nuevo IBAN al servicio de nóminas.",
    },
    facts=(
        Fact(
            "safety",
            0,
            "¿Hasta qué importe protege la garantía legal de depósitos los depósitos por "
            "persona y por banco en la UE?",
            "100.000 euros",
            ("20.000 euros", "250.000 euros", "El importe total, sin límite"),
            "Las normas de la UE fijan un nivel de protección armonizado de 100.000 euros por "
            "depositante y por banco.",
        ),
        Fact(
            "digital",
            2,
            "Una app de pago guarda su saldo como dinero electrónico. ¿Cómo está protegido ese "
            "dinero?",
            "Está salvaguardado, separado del dinero de la empresa",
            (
                "Por la garantía legal de depósitos hasta 100.000 euros",
                "No está protegido de ninguna manera",
            ),
            "Las entidades de dinero electrónico y de pago deben salvaguardar los fondos de sus "
            "clientes, pero esos fondos no están cubiertos por la garantía de depósitos.",
        ),
        Fact(
            "brokers",
            3,
            "¿Qué ocurre con los valores de su cuenta si su bróker en línea quiebra?",
            "Siguen siendo suyos y se traspasan a usted o a otro bróker",
            (
                "Pasan a formar parte de la masa concursal del bróker",
                "Se venden y usted recibe como máximo 100.000 euros",
            ),
            "Los valores son patrimonio separado; no pertenecen a la masa concursal del bróker.",
        ),
        Fact(
            "community",
            0,
            "¿De quién es una cooperativa de crédito?",
            "De sus socios",
            ("Del banco central", "De un grupo de inversores externos", "Del Estado"),
            "Los socios suscriben aportaciones y, por lo general, cada uno tiene un voto en la "
            "asamblea general.",
        ),
        Fact(
            "community",
            1,
            "¿Cuál es la mejor manera de comprobar lo que afirma un banco ético?",
            "Leer su lista publicada de préstamos y sus criterios de exclusión",
            (
                "Buscar la palabra verde en su publicidad",
                "Comparar sus tipos de interés con los de otros bancos",
            ),
            "Los préstamos publicados y los criterios de exclusión muestran qué financian de "
            "verdad los depósitos; las palabras de la publicidad, no.",
        ),
        Fact(
            "fees",
            0,
            "¿Qué documento muestra todo lo que pagó por su cuenta el año pasado?",
            "El estado anual de comisiones",
            (
                "El documento informativo de las comisiones",
                "Las condiciones generales",
                "El formulario de apertura de la cuenta",
            ),
            "Los bancos de la UE deben entregarle al menos una vez al año un estado de todas las "
            "comisiones cobradas; el documento informativo muestra los precios antes de firmar.",
        ),
        Fact(
            "switching",
            0,
            "¿Qué hace por usted el servicio de traslado de cuentas previsto por la UE?",
            "Traslada transferencias periódicas, domiciliaciones e ingresos a la cuenta nueva",
            (
                "Cierra su cuenta antigua sin preguntarle",
                "Traspasa sus valores a un bróker",
            ),
            "Con su autorización, el banco nuevo obtiene los pagos periódicos del antiguo y los "
            "configura en la cuenta nueva.",
        ),
        Fact(
            "switching",
            2,
            "Una empresa rechaza su IBAN porque la cuenta está en otro país de la UE. ¿Está "
            "permitido?",
            "No, en la zona SEPA no se puede rechazar un IBAN de otro país de la UE",
            (
                "Sí, cada empresa decide qué países acepta",
                "Solo para importes superiores a 1.000 euros",
            ),
            "El Reglamento SEPA prohíbe esta llamada discriminación por IBAN.",
        ),
        Fact(
            "safety",
            4,
            "Alguien llama en nombre de su banco y le pide un código de confirmación para parar "
            "un pago fraudulento. ¿Qué hace?",
            "Colgar y llamar usted mismo al banco al número impreso en su tarjeta",
            (
                "Leer el código para que se detenga el pago",
                "Enviar el código por correo electrónico",
            ),
            "Un banco nunca pide códigos, PIN ni contraseñas por teléfono; la propia llamada es "
            "el fraude.",
        ),
        Fact(
            "digital",
            0,
            "¿Cuál es el compromiso típico de un neobanco sin oficinas?",
            "Comisiones bajas y una buena app, pero atención sobre todo por chat",
            (
                "Comisiones más altas a cambio de asesoramiento personal",
                "Ninguna posibilidad de pagar con tarjeta",
                "Sin acceso a los pagos SEPA",
            ),
            "Los neobancos se ahorran el coste de las oficinas; a cambio, la atención se presta "
            "sobre todo desde la app.",
        ),
        Fact(
            "brokers",
            1,
            "¿Por qué un bróker sin comisiones no es necesariamente gratuito?",
            "Los costes pueden esconderse en diferenciales, cambio de divisa o custodia",
            (
                "Porque los brókeres sin comisiones no están supervisados",
                "Porque cada orden exige un notario",
            ),
            "Compare el coste total de una orden típica, incluidos el diferencial y otras "
            "comisiones.",
        ),
        Fact(
            "safety",
            2,
            "Tiene 150.000 euros ahorrados. ¿Cómo mantiene todo dentro de la garantía de "
            "depósitos?",
            "Repartiéndolo entre dos bancos con licencias distintas",
            (
                "Poniéndolo en dos cuentas del mismo banco",
                "Abriendo cuentas en dos marcas del mismo banco",
            ),
            "El límite se aplica por persona y por banco autorizado; las cuentas y marcas del "
            "mismo banco comparten un único límite.",
        ),
    ),
    tagline=(
        "Neobancos, cooperativas de crédito, banca ética, brókeres en línea y apps de pago "
        "comparados, y una forma segura de cambiar: pague menos y gestione su dinero como "
        "usted quiera."
    ),
    benefits=(
        "Descubrir lo que de verdad cuesta su cuenta corriente",
        "Comparar neobancos, cooperativas y banca ética con criterios claros",
        "Entender cómo funciona la garantía de depósitos en cada proveedor",
        "Proteger sus cuentas contra el fraude y el phishing",
        "Cambiar de cuenta sin perder ningún pago",
    ),
    faq=(
        (
            "¿El curso recomienda bancos concretos?",
            "No. Es independiente y le da los criterios para comparar proveedores por su cuenta.",
        ),
        (
            "¿Está seguro mi dinero en un neobanco?",
            "Depende de su licencia. El curso muestra cómo comprobar si un proveedor es un banco "
            "cubierto por la garantía de depósitos.",
        ),
        (
            "¿Necesito conocimientos financieros?",
            "No. Cada término se explica y cada lección termina con una lista de comprobación.",
        ),
    ),
)

CUSTOM = CourseTexts(
    modules=(
        ModuleText(
            key="foundations",
            title="Fundamentos de «{short}»",
            summary="Qué abarca «{course}», por qué importa y qué términos necesita desde el "
            "principio.",
            background=(
                "Cualquier tema resulta más fácil cuando se conoce su forma: las preguntas que "
                "responde, las palabras que usan los expertos y las pocas ideas sobre las que "
                "se apoya todo lo demás. Este módulo le da ese mapa de «{short}» antes de "
                "entrar en detalle.",
                "No necesita conocimientos previos. Cada lección parte de la experiencia "
                "cotidiana y añade una idea nueva cada vez, para que los módulos siguientes se "
                "apoyen en una base sólida.",
            ),
            checklist=(
                "Escribir por qué quiere aprender sobre «{short}»",
                "Anotar tres preguntas que quiere tener resueltas al final",
                "Reunir los términos nuevos en su propio glosario",
                "Reservar horas fijas en su agenda para las próximas lecciones",
            ),
            example=(
                "{name}, {who}, quiere empezar con «{short}». En lugar de reunir todos los "
                "artículos y vídeos de golpe, {name} escribe tres preguntas concretas y lleva "
                "un glosario de una página. Después de cada lección añade dos o tres términos "
                "con sus propias palabras. Al final del módulo, la página responde a la primera "
                "pregunta y las otras dos se han vuelto mucho más precisas."
            ),
            lessons=(
                LessonText(
                    "De qué trata «{short}»",
                    "Una primera visión de «{short}»: las preguntas que responde y lo que "
                    "abarca este curso.",
                    "«{short}» puede parecer amplio al principio. Se vuelve abarcable en cuanto "
                    "se separa el núcleo, que todos necesitan, de los temas especializados, que "
                    "solo algunos necesitan. Esta lección traza esa línea y muestra dónde encaja "
                    "cada parte del curso.",
                ),
                LessonText(
                    "Por qué «{short}» le importa",
                    "Los beneficios concretos que puede esperar y los problemas que «{short}» "
                    "ayuda a evitar.",
                    "La motivación dura más cuando es concreta. En lugar de una promesa "
                    "general, esta lección nombra las situaciones en las que «{short}» marca "
                    "una diferencia visible: ahorrar tiempo, evitar errores caros y decidir con "
                    "más seguridad.",
                ),
                LessonText(
                    "Términos clave de «{short}»",
                    "El puñado de términos que aparecen una y otra vez, explicados con palabras "
                    "sencillas.",
                    "La mayor parte de la confusión viene de las palabras, no de las ideas. Un "
                    "pequeño grupo de términos concentra casi todo el significado de "
                    "«{short}». Aprenda qué significa cada uno, en qué se diferencia de "
                    "palabras parecidas y cómo reconocerlo en la práctica.",
                ),
                LessonText(
                    "Cómo funciona este curso sobre «{short}»",
                    "Cómo se encadenan los módulos, cuánto dura cada paso y cómo sacarle el "
                    "máximo partido.",
                    "El curso va de los fundamentos a los conceptos clave, luego a la práctica "
                    "y por último a su propia situación. Cada lección dura unos quince minutos "
                    "y termina con una lista de comprobación. Una lección al día con una pausa "
                    "breve para reflexionar funciona mejor que una única sesión larga.",
                ),
                LessonText(
                    "Su punto de partida con «{short}»",
                    "Una breve autoevaluación: lo que ya sabe y en qué centrarse.",
                    "Cada persona parte de un lugar distinto. Responda con sinceridad a unas "
                    "preguntas sobre lo que ya sabe y hace, y marque los temas que le resultan "
                    "desconocidos. Así sabrá qué lecciones leer con atención y cuáles puede "
                    "repasar por encima.",
                ),
            ),
        ),
        ModuleText(
            key="core",
            title="Conceptos clave",
            summary="Las ideas centrales de «{short}», cómo se relacionan y qué principios "
            "guían las buenas decisiones.",
            background=(
                "Los expertos rara vez conocen más datos que los principiantes; saben qué ideas "
                "son centrales y cómo se relacionan. Este módulo se centra en esas ideas y deja "
                "los detalles para más adelante.",
                "Cada concepto llega con una definición sencilla, una razón por la que importa "
                "y una situación típica en la que aparece. Intente explicar cada uno con sus "
                "propias palabras antes de seguir.",
            ),
            checklist=(
                "Explicar cada idea central en una frase",
                "Dibujar en una página cómo se relacionan las ideas",
                "Encontrar un ejemplo de cada idea en su vida o su trabajo",
                "Marcar la idea que aún no está clara y volver a ella",
            ),
            example=(
                "{name}, {who}, dibuja en una hoja un mapa sencillo de las ideas centrales de "
                "«{short}»: las ideas como casillas y sus relaciones como flechas. Donde falta "
                "una flecha o no está clara, {name} vuelve a leer la lección. Más adelante, el "
                "mapa sirve de referencia rápida cuando hay que tomar una decisión real."
            ),
            lessons=(
                LessonText(
                    "Las ideas centrales de «{short}»",
                    "Las pocas ideas sobre las que se apoya todo lo demás en «{short}», cada "
                    "una con una definición sencilla.",
                    "Un puñado de ideas explica la mayor parte de lo que ocurre en «{short}». "
                    "Esta lección las presenta una a una, explica por qué importa cada una y "
                    "señala dónde se suelen confundir.",
                ),
                LessonText(
                    "Cómo encajan las piezas de «{short}»",
                    "Causas y efectos, compromisos y dependencias entre los elementos principales.",
                    "Las ideas rara vez actúan solas. Cambiar una parte de «{short}» suele "
                    "afectar a otra, y muchas buenas decisiones son en realidad compromisos. "
                    "Esta lección muestra las relaciones principales para que pueda prever qué "
                    "pasa cuando algo cambia.",
                ),
                LessonText(
                    "Principios y reglas prácticas",
                    "Reglas sencillas que siguen las personas con experiencia, y sus motivos.",
                    "Las reglas prácticas ahorran tiempo porque condensan la experiencia en una "
                    "frase. Funcionan mejor cuando sabe por qué existen, porque entonces también "
                    "sabe cuándo no se aplican. Esta lección reúne las reglas más útiles para "
                    "«{short}» junto con sus motivos.",
                ),
                LessonText(
                    "Distinguir las buenas prácticas de las malas",
                    "Criterios para juzgar consejos, ofertas e información sobre «{short}».",
                    "Sobre «{short}» hay muchos consejos, y no todos son buenos. Pregúntese "
                    "quién da el consejo, qué gana con ello, si encaja con su situación y si se "
                    "puede comprobar. Estas cuatro preguntas filtran la mayoría de los malos "
                    "consejos.",
                ),
                LessonText(
                    "«{short}» frente a las alternativas",
                    "Dónde encaja mejor «{short}» y cuándo le conviene más otro enfoque.",
                    "Ningún enfoque sirve para todas las situaciones. Comparar «{short}» con "
                    "las principales alternativas en coste, esfuerzo, riesgo y beneficio "
                    "muestra dónde está su fuerza y cuándo es más sensato elegir otra cosa.",
                ),
            ),
        ),
        ModuleText(
            key="practice",
            title="La práctica paso a paso",
            summary="Del primer paso pequeño a la rutina: ejemplos resueltos, herramientas y "
            "formas de seguir su progreso con «{short}».",
            background=(
                "La comprensión crece más rápido cuando aplica lo aprendido. Este módulo "
                "convierte los conceptos en pasos pequeños y concretos que puede dar en una "
                "semana.",
                "Empiece en pequeño a propósito. Un primer paso que sale bien da confianza y "
                "experiencia real, que vale más que un plan perfecto que nunca arranca.",
            ),
            checklist=(
                "Elegir un primer paso pequeño y una fecha",
                "Preparar las herramientas o documentos necesarios",
                "Anotar qué pasó después de intentarlo",
                "Ajustar el siguiente paso a lo aprendido",
            ),
            example=(
                "{name}, {who}, prueba un primer paso práctico con «{short}» una tarde "
                "tranquila entre semana: treinta minutos, un objetivo claro y una nota sobre lo "
                "que pasó. El primer intento lleva más tiempo de lo previsto, pero la nota "
                "muestra exactamente qué cambiar. El segundo intento, una semana después, lleva "
                "la mitad de tiempo."
            ),
            lessons=(
                LessonText(
                    "Su primer paso práctico con «{short}»",
                    "Un primer paso pequeño y seguro que puede dar esta semana.",
                    "El primer paso debe ser lo bastante pequeño para terminarlo de una vez y "
                    "lo bastante seguro para que un error no cueste nada. Esta lección le ayuda "
                    "a elegirlo, prepararlo y decidir de antemano cómo sabrá que ha funcionado.",
                ),
                LessonText(
                    "Un ejemplo resuelto de principio a fin",
                    "Un caso completo de «{short}», paso a paso, con las decisiones y sus motivos.",
                    "Ver un caso entero de principio a fin muestra cómo funcionan juntos los "
                    "conceptos. Siga el ejemplo paso a paso y deténgase en cada decisión: ¿qué "
                    "habría hecho usted y por qué?",
                ),
                LessonText(
                    "Herramientas y recursos para «{short}»",
                    "Qué herramientas, plantillas y fuentes ayudan y cuáles puede ignorar sin "
                    "problema.",
                    "Las buenas herramientas facilitan la práctica, pero demasiadas distraen. "
                    "Empiece con las pocas que cubren los pasos esenciales de «{short}», "
                    "apréndalas bien y añada otras solo cuando surja una necesidad real.",
                ),
                LessonText(
                    "Crear una rutina",
                    "Cómo convertir intentos sueltos en un hábito duradero.",
                    "Los resultados llegan con la repetición. Una rutina funciona cuando está "
                    "ligada a un momento fijo, cuesta poco empezarla y da una señal visible de "
                    "progreso. Esta lección muestra cómo diseñar una rutina así para "
                    "«{short}».",
                ),
                LessonText(
                    "Medir su progreso",
                    "Indicadores sencillos que muestran si su esfuerzo con «{short}» da resultado.",
                    "Lo que se mide se puede mejorar. Elija uno o dos indicadores sencillos que "
                    "encajen con su objetivo, regístrelos con regularidad y fíjese en la "
                    "tendencia más que en resultados aislados.",
                ),
            ),
        ),
        ModuleText(
            key="pitfalls",
            title="Errores frecuentes",
            summary="Los errores que cometen los principiantes con «{short}», los mitos que los "
            "confunden y cómo recuperarse cuando algo sale mal.",
            background=(
                "La mayoría de los errores son previsibles: nacen de las prisas, del exceso de "
                "confianza tras los primeros éxitos o de consejos pensados para la situación de "
                "otra persona. Conocerlos de antemano es la forma más barata de evitarlos.",
                "Los errores también forman parte del aprendizaje. Lo importante es detectarlos "
                "pronto, limitar el daño y sacar una lección para la próxima vez.",
            ),
            checklist=(
                "Comparar su plan con la lista de errores frecuentes",
                "Pedir a alguien con experiencia que revise su enfoque",
                "Fijar un límite a lo que puede costar un error",
                "Anotar qué hará de otra manera la próxima vez",
            ),
            example=(
                "{name}, {who}, nota tras unas semanas que los resultados con «{short}» han "
                "dejado de mejorar. Al comparar con la lista de errores frecuentes aparece la "
                "causa: {name} se había saltado el paso de revisión para ahorrar tiempo. Con la "
                "revisión de nuevo en marcha, el progreso vuelve en dos semanas."
            ),
            lessons=(
                LessonText(
                    "Los errores más frecuentes con «{short}»",
                    "Cinco errores que comete casi todo principiante y cómo evitar cada uno.",
                    "Los mismos errores aparecen una y otra vez: empezar demasiado a lo grande, "
                    "copiar el enfoque de otra persona, saltarse lo básico, no comprobar los "
                    "resultados y abandonar tras el primer tropiezo. Cada uno tiene un remedio "
                    "sencillo.",
                ),
                LessonText(
                    "Mitos y malentendidos sobre «{short}»",
                    "Creencias populares que suenan razonables pero no se sostienen.",
                    "Algunas ideas sobre «{short}» se repiten tanto que parecen ciertas. Esta "
                    "lección examina las más comunes, explica de dónde vienen y qué dicen "
                    "realmente los datos.",
                ),
                LessonText(
                    "Señales de alarma que no debe ignorar",
                    "Las primeras señales de que algo va mal con «{short}» y lo que significan.",
                    "Los problemas rara vez surgen de la nada. Un esfuerzo creciente con "
                    "resultados menguantes, una incertidumbre cada vez mayor o promesas "
                    "demasiado buenas son señales que conviene tomar en serio. Cuanto antes "
                    "reaccione, más barata será la solución.",
                ),
                LessonText(
                    "Qué hacer cuando algo sale mal",
                    "Una forma tranquila y paso a paso de limitar el daño y volver al buen camino.",
                    "Cuando algo sale mal, primero detenga el daño, después entienda la causa y "
                    "solo entonces corríjala. Anotar lo ocurrido ayuda a no repetir el error y "
                    "facilita pedir ayuda.",
                ),
                LessonText(
                    "Costes y esfuerzo, con realismo",
                    "Cuánto tiempo, dinero y energía requiere de verdad «{short}», sin promesas "
                    "publicitarias.",
                    "Las expectativas influyen en el éxito. Si espera resultados rápidos sin "
                    "esfuerzo, la primera dificultad parece un fracaso. Esta lección da una "
                    "imagen realista del tiempo, el dinero y la energía que requiere "
                    "«{short}».",
                ),
            ),
        ),
        ModuleText(
            key="applying",
            title="Aplicarlo a su situación",
            summary="Cómo adaptar «{short}» a las necesidades de {audiences} y convertirlo en "
            "un plan concreto.",
            background=(
                "Un consejo general solo resulta útil cuando encaja con su situación: su "
                "tiempo, su presupuesto, sus objetivos y sus limitaciones. Este módulo le ayuda "
                "a traducir lo aprendido en decisiones adecuadas para usted.",
                "Rara vez hay una única respuesta correcta. Un marco claro le permite comparar "
                "opciones, tomar una decisión que pueda explicar y revisarla más adelante.",
            ),
            checklist=(
                "Describir su situación en tres frases",
                "Nombrar su objetivo principal y su mayor limitación",
                "Comparar dos opciones con los mismos criterios",
                "Anotar su decisión y una fecha para revisarla",
            ),
            example=(
                "{name}, {who}, anota la situación actual, el objetivo principal y la mayor "
                "limitación, que es la falta de tiempo. Tras comparar dos maneras de usar "
                "«{short}» con los mismos criterios, {name} elige la más sencilla y fija una "
                "fecha para revisarla dentro de un mes."
            ),
            lessons=(
                LessonText(
                    "«{short}» en su día a día",
                    "Dónde aparece «{short}» en situaciones cotidianas y cómo aprovecharlo.",
                    "Lo aprendido se queda cuando se conecta con situaciones que vive de todos "
                    "modos. Esta lección repasa días normales y señala los momentos en los que "
                    "«{short}» puede marcar la diferencia con poco esfuerzo adicional.",
                ),
                LessonText(
                    "Adaptar «{short}» a su situación",
                    "Ajustar el enfoque general a su tiempo, su presupuesto y sus objetivos.",
                    "Su situación no es el caso medio. Ajuste el enfoque general al tiempo, el "
                    "dinero y el apoyo que tiene de verdad, y deje fuera lo que no encaje en "
                    "lugar de forzarlo.",
                ),
                LessonText(
                    "Decidir con un marco claro",
                    "Una forma sencilla de comparar opciones para «{short}» y tomar una "
                    "decisión que pueda explicar.",
                    "Un marco de decisión solo necesita tres partes: las opciones, los "
                    "criterios que le importan y una puntuación honesta de cada opción en cada "
                    "criterio. Convierte una intuición en algo que puede comentar y revisar.",
                ),
                LessonText(
                    "Trabajar con otras personas",
                    "Implicar a la familia, a compañeros o a socios y explicarles «{short}».",
                    "Pocos planes salen bien en solitario. Explicar su plan a las personas "
                    "afectadas, pedirles su opinión y acordar quién hace qué lo vuelve más "
                    "sólido y, a menudo, mejor.",
                ),
                LessonText(
                    "Su plan de acción personal",
                    "Tres pasos concretos con fechas que convierten el curso sobre «{short}» en "
                    "acción.",
                    "Un plan es una lista de pasos con fechas y una primera acción clara. "
                    "Limítelo a tres pasos, haga el primero tan pequeño que pueda empezar "
                    "mañana y decida cuándo revisará su progreso.",
                ),
            ),
        ),
        ModuleText(
            key="next",
            title="Próximos pasos",
            summary="Repasar lo aprendido, profundizar en «{short}» y mantener sus "
            "conocimientos al día.",
            background=(
                "Terminar un curso es un comienzo. El conocimiento sigue siendo útil si lo "
                "repasa, lo aplica con regularidad y lo actualiza cuando cambian las "
                "circunstancias.",
                "Este módulo le ayuda a consolidar lo aprendido, encontrar buenas fuentes para "
                "seguir avanzando y planificar los próximos treinta días.",
            ),
            checklist=(
                "Resumir el curso en cinco puntos",
                "Elegir un tema para profundizar",
                "Seleccionar dos fuentes fiables que seguir",
                "Programar un repaso dentro de tres meses",
            ),
            example=(
                "{name}, {who}, termina el curso con un resumen de una página sobre «{short}» y "
                "un plan de treinta días con una pequeña tarea por semana. Tres meses después, "
                "un recordatorio en el calendario propone un breve repaso: qué funcionó, qué no "
                "y qué aprender a continuación."
            ),
            lessons=(
                LessonText(
                    "Repaso: lo que ha aprendido sobre «{short}»",
                    "Las ideas clave del curso en un solo lugar, con una breve autoevaluación.",
                    "Recordar es más eficaz que releer. Intente recuperar de memoria las ideas "
                    "clave de cada módulo antes de mirar sus notas y compruebe después qué le "
                    "faltó. Las lagunas muestran dónde merece la pena una segunda mirada.",
                ),
                LessonText(
                    "Profundizar en «{short}»",
                    "Por dónde seguir cuando ya domina lo básico y cómo elegir.",
                    "Con lo básico asentado, profundizar compensa sobre todo en las áreas que "
                    "realmente usa. Elija un tema avanzado relacionado con sus objetivos en "
                    "lugar de intentar abarcarlo todo.",
                ),
                LessonText(
                    "Mantenerse al día",
                    "Cómo seguir los cambios en «{short}» sin ahogarse en información.",
                    "Los campos cambian, y con ellos los mejores consejos. Siga un número "
                    "pequeño de fuentes fiables, contraste lo que dicen y revise sus decisiones "
                    "cuando cambie algo importante.",
                ),
                LessonText(
                    "Su plan de 30 días",
                    "Un plan sencillo con una tarea por semana para mantener el impulso después "
                    "del curso.",
                    "El impulso se pierde rápido después de un curso. Un plan de treinta días "
                    "con una pequeña tarea por semana mantiene vivo lo aprendido y lo convierte "
                    "en un hábito.",
                ),
                LessonText(
                    "Dónde encontrar ayuda y comunidad",
                    "Personas, grupos y servicios que pueden acompañarle con «{short}».",
                    "Aprender con otras personas es más fácil y más agradable. Busque grupos, "
                    "foros, cursos cercanos o asesores que trabajen con «{short}», y compruebe "
                    "su independencia antes de fiarse de sus consejos.",
                ),
            ),
        ),
    ),
    merged={},
    audience_tips={
        Audience.PRIVATE_INDIVIDUALS: "Empiece por un ámbito de su vida privada en el que "
        "«{short}» ayude enseguida, e implique a las personas con las que vive.",
        Audience.EMPLOYEES: "Busque una tarea en el trabajo en la que «{short}» le ahorre tiempo "
        "este mes y comparta el resultado con su equipo.",
        Audience.SELF_EMPLOYED: "Cada hora cuenta: aplique «{short}» primero donde le ahorre "
        "tiempo o dinero con sus clientes, y anote lo que funciona.",
        Audience.STUDENTS: "Relacione «{short}» con sus estudios o su trabajo a tiempo parcial, "
        "y use las listas de comprobación como plan de estudio.",
        Audience.RETIREES: "Tómese su tiempo: una lección al día es suficiente, y «{short}» se "
        "practica mejor con amigos o en familia.",
        Audience.SMALL_BUSINESSES: "Pruebe «{short}» primero en una parte del negocio, mida el "
        "efecto y después extiéndalo a todo el equipo.",
        Audience.PUBLIC_SECTOR: "Compruebe qué normas y procedimientos de su administración se "
        "aplican antes de cambiar su forma de trabajar con «{short}».",
    },
    facts=(),
    tagline=(
        "Un curso claro y práctico sobre «{short}»: de los fundamentos a su propio plan de "
        "acción, en lecciones breves con ejemplos y listas de comprobación."
    ),
    benefits=(
        "Entender los fundamentos y los términos clave de «{short}»",
        "Conocer las ideas centrales y cómo se relacionan",
        "Practicar con ejemplos resueltos y listas de comprobación sencillas",
        "Evitar los errores más frecuentes",
        "Terminar con un plan de acción personal",
    ),
    faq=(
        (
            "¿Necesito conocimientos previos?",
            "No. El curso empieza por los fundamentos y explica cada término la primera vez que "
            "aparece.",
        ),
        (
            "¿Cómo están construidas las lecciones?",
            "Cada lección tiene una explicación, un ejemplo, una lista de comprobación y un "
            "resumen; un cuestionario cierra el curso.",
        ),
        (
            "¿Para quién están escritos los ejemplos?",
            "Para {audiences}, con consejos para cada una de estas situaciones.",
        ),
    ),
)

PACK = LanguagePack(
    words=WORDS, audiences=AUDIENCES, personas=PERSONAS, banking=BANKING, custom=CUSTOM
)
