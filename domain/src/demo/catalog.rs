//! The demo shop's catalog: a small Spanish supermarket's tax rates, categories and
//! products.

use entity::product::Unit;

/// Spanish VAT rates.
pub(super) const TAX_RATES: [(&str, &str); 4] = [
    ("IVA general", "21"),
    ("IVA reducido", "10"),
    ("IVA superreducido", "4"),
    ("Exento", "0"),
];

/// Products of one category, all at one VAT rate and sold in one unit.
pub(super) struct Group {
    pub(super) parent: &'static str,
    pub(super) category: &'static str,
    /// One of [`TAX_RATES`], by name.
    pub(super) rate: &'static str,
    pub(super) unit: Unit,
    pub(super) items: &'static [Item],
}

/// One product: its name, its shelf price (a Decimal string) and, for some, a shelf-label text.
pub(super) struct Item {
    pub(super) name: &'static str,
    pub(super) price: &'static str,
    pub(super) description: Option<&'static str>,
}

const fn item(name: &'static str, price: &'static str) -> Item {
    Item {
        name,
        price,
        description: None,
    }
}

const fn described(name: &'static str, price: &'static str, description: &'static str) -> Item {
    Item {
        name,
        price,
        description: Some(description),
    }
}

/// Products get their SKUs (`DEMO-0001`, ...) in list order across all groups, so existing
/// items keep their place: new products go in new groups at the end (a group may repeat a
/// category; categories are matched by name and parent). Descriptions are short shelf-label
/// texts, in Spanish like the names, that product search also matches.
pub(super) const GROUPS: &[Group] = &[
    Group {
        parent: "Alimentación",
        category: "Lácteos y huevos",
        rate: "IVA superreducido",
        unit: Unit::Unit,
        items: &[
            item("Leche entera 1 L", "1.05"),
            item("Leche semidesnatada 1 L", "0.99"),
            item("Leche desnatada 1 L", "0.95"),
            described(
                "Leche sin lactosa 1 L",
                "1.25",
                "Leche de vaca UHT sin lactosa, para intolerantes a la lactosa",
            ),
            item("Leche entera pack 6x1 L", "5.94"),
            described(
                "Bebida de avena 1 L",
                "1.65",
                "Bebida vegetal de avena, alternativa a la leche de vaca",
            ),
            item("Huevos frescos M docena", "2.45"),
            item("Huevos camperos L media docena", "2.10"),
            item("Mantequilla con sal 250 g", "2.85"),
            described(
                "Nata para cocinar 200 ml",
                "0.89",
                "Nata líquida para cocinar salsas, cremas y pasta",
            ),
        ],
    },
    Group {
        parent: "Alimentación",
        category: "Yogures y postres",
        rate: "IVA reducido",
        unit: Unit::Unit,
        items: &[
            item("Yogur natural pack 4x125 g", "1.20"),
            item("Yogur griego natural 4x115 g", "1.85"),
            item("Yogur de fresa 4x125 g", "1.35"),
            described(
                "Yogur líquido de frutas 6x180 g",
                "2.40",
                "Yogur para beber con frutas, en botellitas individuales",
            ),
            item("Natillas de vainilla 4x125 g", "1.45"),
            item("Flan de huevo 4x100 g", "1.30"),
            item("Arroz con leche 4x125 g", "1.60"),
            item("Cuajada 4x125 g", "1.75"),
            described(
                "Kéfir natural 500 g",
                "1.95",
                "Leche fermentada con fermentos de kéfir, para beber o tomar con cuchara",
            ),
        ],
    },
    Group {
        parent: "Alimentación",
        category: "Quesos",
        rate: "IVA superreducido",
        unit: Unit::Unit,
        items: &[
            item("Queso fresco de Burgos 250 g", "1.95"),
            described(
                "Queso rallado mezcla 200 g",
                "1.75",
                "Mezcla de quesos rallados para gratinar pizza y pasta",
            ),
            item("Queso en lonchas tierno 250 g", "2.35"),
            item("Queso de cabra rulo 200 g", "2.90"),
            described(
                "Queso manchego curado cuña 250 g",
                "4.95",
                "Queso curado de leche de oveja manchega, D.O.P. Queso Manchego",
            ),
            described(
                "Mozzarella fresca 125 g",
                "1.10",
                "Queso fresco italiano en bola, para ensalada caprese y pizza",
            ),
            item("Queso azul cremoso 150 g", "2.25"),
            described(
                "Queso crema para untar 200 g",
                "1.55",
                "Queso crema suave para untar en tostadas y hacer tartas",
            ),
        ],
    },
    Group {
        parent: "Alimentación",
        category: "Panadería y bollería",
        rate: "IVA superreducido",
        unit: Unit::Unit,
        items: &[
            item("Barra de pan 250 g", "0.75"),
            item("Pan de molde integral 460 g", "1.65"),
            described(
                "Pan de molde blanco sin corteza 450 g",
                "1.85",
                "Pan de molde blanco tierno sin corteza, para sándwiches",
            ),
            item("Pan de hamburguesa 4 uds", "1.25"),
            item("Tostadas de trigo 270 g", "1.45"),
            item("Picos de pan 250 g", "1.10"),
            described(
                "Croissants 6 uds",
                "2.20",
                "Bollos de hojaldre para el desayuno o la merienda",
            ),
            described(
                "Magdalenas 12 uds",
                "1.95",
                "Bizcochos esponjosos para el desayuno y la merienda",
            ),
            described(
                "Ensaimada 2 uds",
                "1.80",
                "Bollo de masa en espiral con azúcar glas, típico de Mallorca",
            ),
            described(
                "Pan rallado 500 g",
                "0.95",
                "Pan seco molido para empanar y rebozar",
            ),
        ],
    },
    Group {
        parent: "Alimentación",
        category: "Frutas",
        rate: "IVA superreducido",
        unit: Unit::Kg,
        items: &[
            item("Manzana Golden", "1.99"),
            item("Manzana Fuji", "2.39"),
            item("Plátano de Canarias", "2.29"),
            described("Naranja de zumo", "1.49", "Naranja jugosa para exprimir"),
            item("Mandarina", "2.19"),
            item("Pera conferencia", "2.09"),
            item("Uva blanca sin semillas", "3.49"),
            described("Fresón", "3.99", "Fresa de gran tamaño, dulce y aromática"),
            item("Kiwi verde", "3.29"),
            item("Limón", "1.89"),
            item("Melón piel de sapo", "1.49"),
            item("Sandía", "0.99"),
        ],
    },
    Group {
        parent: "Alimentación",
        category: "Verduras y hortalizas",
        rate: "IVA superreducido",
        unit: Unit::Kg,
        items: &[
            described(
                "Tomate pera",
                "1.99",
                "Tomate alargado de pulpa carnosa, para salsas y ensaladas",
            ),
            item("Tomate cherry", "3.49"),
            item("Patata para freír", "1.19"),
            item("Cebolla", "1.29"),
            item("Ajo morado", "5.99"),
            item("Zanahoria", "1.09"),
            item("Pimiento rojo", "2.79"),
            item("Pimiento verde italiano", "2.49"),
            item("Calabacín", "1.69"),
            item("Berenjena", "1.89"),
            described(
                "Lechuga romana",
                "2.20",
                "Lechuga de hojas largas y crujientes para ensalada",
            ),
            item("Pepino", "1.59"),
            item("Brócoli", "2.99"),
        ],
    },
    Group {
        parent: "Alimentación",
        category: "Carnes",
        rate: "IVA reducido",
        unit: Unit::Kg,
        items: &[
            described(
                "Pechuga de pollo fileteada",
                "7.49",
                "Filetes de pechuga de pollo fresca, para plancha y empanar",
            ),
            item("Muslos de pollo", "3.99"),
            described(
                "Carne picada mixta",
                "6.99",
                "Carne picada de vacuno y cerdo para albóndigas, boloñesa y hamburguesas",
            ),
            item("Lomo de cerdo en filetes", "6.49"),
            described(
                "Costillas de cerdo",
                "5.99",
                "Costillas de cerdo para asar al horno o a la barbacoa",
            ),
            item("Filete de ternera", "13.99"),
            item("Hamburguesas de ternera", "8.99"),
            item("Chuletas de cordero", "15.99"),
        ],
    },
    Group {
        parent: "Alimentación",
        category: "Charcutería",
        rate: "IVA reducido",
        unit: Unit::Kg,
        items: &[
            described(
                "Jamón serrano al corte",
                "24.90",
                "Jamón curado cortado en lonchas finas al momento",
            ),
            described(
                "Jamón cocido extra al corte",
                "12.90",
                "Jamón de York extra cortado en lonchas al momento",
            ),
            described(
                "Chorizo ibérico al corte",
                "15.90",
                "Embutido curado de cerdo ibérico con pimentón",
            ),
            item("Salchichón al corte", "11.90"),
            described(
                "Pavo asado al corte",
                "13.50",
                "Fiambre de pechuga de pavo asada en lonchas",
            ),
            item("Lomo embuchado al corte", "29.90"),
        ],
    },
    Group {
        parent: "Alimentación",
        category: "Pescado",
        rate: "IVA reducido",
        unit: Unit::Kg,
        items: &[
            item("Salmón fresco en lomos", "16.90"),
            item("Merluza en filetes", "12.90"),
            described(
                "Dorada",
                "8.99",
                "Pescado blanco entero de ración, para horno o a la sal",
            ),
            item("Lubina", "9.49"),
            described(
                "Boquerón",
                "6.99",
                "Pescado azul pequeño para freír o preparar en vinagre",
            ),
            described(
                "Gambas cocidas",
                "14.90",
                "Gambas ya cocidas, listas para aperitivos y ensaladas",
            ),
            item("Mejillones", "3.49"),
            described(
                "Bacalao desalado",
                "15.50",
                "Bacalao listo para cocinar, sin necesidad de desalar",
            ),
        ],
    },
    Group {
        parent: "Alimentación",
        category: "Aceites y condimentos",
        rate: "IVA reducido",
        unit: Unit::Unit,
        items: &[
            described(
                "Aceite de oliva virgen extra 1 L",
                "8.95",
                "Aceite de oliva virgen extra para aliñar y cocinar",
            ),
            described(
                "Aceite de oliva suave 1 L",
                "7.45",
                "Aceite de oliva de sabor suave para cocinar y freír",
            ),
            described(
                "Aceite de girasol 1 L",
                "2.15",
                "Aceite vegetal de semillas de girasol para freír",
            ),
            described(
                "Vinagre de Jerez 500 ml",
                "1.95",
                "Vinagre de vino de Jerez para aliñar ensaladas y gazpacho",
            ),
            item("Sal fina 1 kg", "0.45"),
            item("Sal marina en escamas 250 g", "2.90"),
            described(
                "Pimentón de la Vera dulce 75 g",
                "2.35",
                "Pimentón dulce ahumado para guisos, pulpo y embutidos",
            ),
            described(
                "Azafrán en hebra 1 g",
                "3.95",
                "Hebras de azafrán para dar color y aroma a la paella",
            ),
            item("Mayonesa 450 ml", "2.05"),
            described(
                "Tomate frito 400 g",
                "0.95",
                "Salsa de tomate frito para pasta, arroces y guisos",
            ),
            item("Ketchup 560 g", "1.85"),
        ],
    },
    Group {
        parent: "Alimentación",
        category: "Arroz, pasta y legumbres",
        rate: "IVA reducido",
        unit: Unit::Unit,
        items: &[
            described(
                "Arroz redondo 1 kg",
                "1.35",
                "Arroz de grano redondo para paellas, arroces caldosos y postres",
            ),
            described(
                "Arroz bomba 1 kg",
                "3.95",
                "Arroz de grano redondo que absorbe mucho caldo, ideal para paella",
            ),
            described(
                "Arroz basmati 1 kg",
                "2.45",
                "Arroz aromático de grano largo para guarniciones y platos orientales",
            ),
            item("Macarrones 500 g", "0.89"),
            item("Espaguetis 500 g", "0.89"),
            described(
                "Fideos para sopa 500 g",
                "0.95",
                "Fideos finos de trigo para sopas y caldos",
            ),
            described(
                "Lentejas pardinas 1 kg",
                "1.99",
                "Lentejas secas pequeñas de piel fina, sin necesidad de remojo",
            ),
            described(
                "Garbanzos cocidos 400 g",
                "0.79",
                "Garbanzos ya cocidos, listos para guisos, ensaladas y hummus",
            ),
            described(
                "Alubias blancas cocidas 400 g",
                "0.85",
                "Alubias blancas ya cocidas, listas para guisos y ensaladas",
            ),
            item("Cuscús 500 g", "1.45"),
        ],
    },
    Group {
        parent: "Alimentación",
        category: "Conservas",
        rate: "IVA reducido",
        unit: Unit::Unit,
        items: &[
            item("Atún en aceite de oliva 3x80 g", "3.45"),
            item("Sardinas en aceite 120 g", "1.60"),
            item("Mejillones en escabeche 115 g", "1.95"),
            item("Tomate triturado 400 g", "0.69"),
            described(
                "Pimientos del piquillo 250 g",
                "2.45",
                "Pimientos rojos asados enteros, para rellenar o de guarnición",
            ),
            item("Espárragos blancos 330 g", "2.95"),
            described(
                "Aceitunas manzanilla rellenas 350 g",
                "1.35",
                "Aceitunas verdes rellenas de anchoa, para el aperitivo",
            ),
            described(
                "Maíz dulce 3x140 g",
                "1.65",
                "Granos de maíz dulce en lata para ensaladas",
            ),
            item("Melocotón en almíbar 480 g", "1.75"),
        ],
    },
    Group {
        parent: "Alimentación",
        category: "Desayuno",
        rate: "IVA reducido",
        unit: Unit::Unit,
        items: &[
            described(
                "Café molido natural 250 g",
                "2.85",
                "Café molido de tueste natural para cafetera italiana o de goteo",
            ),
            item("Café molido mezcla 250 g", "2.65"),
            described(
                "Café en cápsulas 10 uds",
                "2.95",
                "Cápsulas de café espresso para cafetera de cápsulas",
            ),
            described(
                "Café soluble descafeinado 100 g",
                "3.75",
                "Café instantáneo descafeinado, se disuelve en agua o leche",
            ),
            described(
                "Cacao soluble 760 g",
                "4.95",
                "Cacao en polvo para disolver en leche, desayuno y merienda",
            ),
            described(
                "Cereales de maíz 500 g",
                "2.25",
                "Copos de maíz tostados para desayunar con leche",
            ),
            described(
                "Copos de avena 500 g",
                "1.35",
                "Copos de avena para porridge, batidos y repostería",
            ),
            described(
                "Muesli con frutas 500 g",
                "2.75",
                "Mezcla de cereales, frutas deshidratadas y frutos secos",
            ),
            described(
                "Galletas María 800 g",
                "1.65",
                "Galletas clásicas para mojar en leche en el desayuno",
            ),
            item("Mermelada de fresa 340 g", "1.80"),
            item("Miel de flores 500 g", "3.95"),
            item("Té verde 20 bolsitas", "1.45"),
        ],
    },
    Group {
        parent: "Alimentación",
        category: "Congelados",
        rate: "IVA reducido",
        unit: Unit::Unit,
        items: &[
            item("Pizza barbacoa congelada", "2.95"),
            item("Guisantes congelados 1 kg", "1.85"),
            described(
                "Patatas prefritas congeladas 1 kg",
                "1.55",
                "Patatas fritas congeladas para freidora, horno o freidora de aire",
            ),
            item("Croquetas de jamón 500 g", "2.45"),
            described(
                "Varitas de merluza 400 g",
                "2.75",
                "Palitos de merluza empanados congelados, para freír u hornear",
            ),
            item("Helado de vainilla 1 L", "2.95"),
            described(
                "Menestra de verduras 1 kg",
                "1.95",
                "Mezcla de verduras congeladas para menestra y salteados",
            ),
            item("Langostinos congelados 500 g", "6.95"),
        ],
    },
    Group {
        parent: "Alimentación",
        category: "Snacks y dulces",
        rate: "IVA reducido",
        unit: Unit::Unit,
        items: &[
            described(
                "Patatas fritas clásicas 160 g",
                "1.45",
                "Patatas fritas de bolsa crujientes para el aperitivo",
            ),
            described(
                "Patatas fritas al punto de sal 150 g",
                "1.55",
                "Patatas fritas de bolsa crujientes, con poca sal",
            ),
            item("Almendras tostadas 200 g", "2.65"),
            item("Pistachos 250 g", "3.95"),
            described(
                "Palomitas para microondas 3x100 g",
                "1.35",
                "Palomitas de maíz para hacer en el microondas",
            ),
            item("Chocolate con leche 100 g", "1.10"),
            item("Chocolate negro 70% 100 g", "1.45"),
            described(
                "Turrón de Jijona 200 g",
                "3.95",
                "Turrón blando de almendra, dulce típico de Navidad",
            ),
            item("Gominolas 100 g", "0.95"),
        ],
    },
    Group {
        parent: "Bebidas",
        category: "Agua",
        rate: "IVA reducido",
        unit: Unit::Unit,
        items: &[
            item("Agua mineral 1,5 L", "0.45"),
            item("Agua mineral pack 6x1,5 L", "2.55"),
            item("Agua mineral 50 cl", "0.35"),
            item("Agua con gas 1 L", "0.85"),
            item("Agua mineral garrafa 5 L", "1.15"),
        ],
    },
    Group {
        parent: "Bebidas",
        category: "Refrescos",
        rate: "IVA general",
        unit: Unit::Unit,
        items: &[
            described(
                "Gaseosa Coca-Cola 2 L",
                "2.15",
                "Refresco de cola con gas, botella familiar",
            ),
            described(
                "Coca-Cola Zero lata 33 cl",
                "0.75",
                "Refresco de cola sin azúcar en lata",
            ),
            described(
                "Coca-Cola pack 12 latas",
                "7.95",
                "Refresco de cola, pack de doce latas",
            ),
            item("Refresco de naranja 2 L", "1.55"),
            item("Refresco de limón 2 L", "1.55"),
            described(
                "Gaseosa 1,5 L",
                "0.65",
                "Bebida con gas transparente y dulce, para tinto de verano",
            ),
            described(
                "Tónica 1 L",
                "1.25",
                "Agua tónica con quinina, para combinados y gin-tonic",
            ),
            described(
                "Bebida isotónica limón 50 cl",
                "1.05",
                "Bebida para deportistas que ayuda a reponer sales minerales",
            ),
            item("Té frío al limón 1,5 L", "1.35"),
            described(
                "Bebida energética lata 50 cl",
                "1.45",
                "Bebida energética con cafeína y taurina",
            ),
        ],
    },
    Group {
        parent: "Bebidas",
        category: "Zumos",
        rate: "IVA reducido",
        unit: Unit::Unit,
        items: &[
            item("Zumo de naranja exprimido 1 L", "2.35"),
            item("Zumo de piña 1 L", "1.25"),
            item("Zumo de melocotón y uva 1 L", "1.15"),
            item("Néctar de manzana 1 L", "1.05"),
            described(
                "Gazpacho 1 L",
                "2.65",
                "Sopa fría de tomate, pepino y pimiento lista para tomar",
            ),
            item("Zumo de tomate 1 L", "1.35"),
        ],
    },
    Group {
        parent: "Bebidas",
        category: "Cervezas",
        rate: "IVA general",
        unit: Unit::Unit,
        items: &[
            item("Cerveza lager lata 33 cl", "0.65"),
            item("Cerveza lager pack 6 latas", "3.75"),
            item("Cerveza sin alcohol lata 33 cl", "0.69"),
            described(
                "Cerveza tostada botella 33 cl",
                "0.95",
                "Cerveza tostada de malta caramelizada en botellín",
            ),
            described(
                "Cerveza IPA artesana 33 cl",
                "2.25",
                "Cerveza artesana de estilo IPA, lupulada y amarga",
            ),
            described(
                "Cerveza con limón lata 33 cl",
                "0.75",
                "Cerveza rubia mezclada con limón, tipo clara",
            ),
        ],
    },
    Group {
        parent: "Bebidas",
        category: "Vinos y licores",
        rate: "IVA general",
        unit: Unit::Unit,
        items: &[
            described(
                "Vino tinto Rioja crianza 75 cl",
                "6.95",
                "Vino tinto D.O.Ca. Rioja con crianza en barrica",
            ),
            described(
                "Vino tinto Ribera del Duero roble 75 cl",
                "7.95",
                "Vino tinto D.O. Ribera del Duero con paso por barrica",
            ),
            described(
                "Vino blanco Rueda verdejo 75 cl",
                "5.45",
                "Vino blanco afrutado D.O. Rueda de uva verdejo",
            ),
            item("Vino rosado Navarra 75 cl", "4.25"),
            described(
                "Cava brut 75 cl",
                "5.95",
                "Vino espumoso D.O. Cava para brindar en celebraciones",
            ),
            described(
                "Sangría 1,5 L",
                "2.45",
                "Bebida de vino tinto con frutas, lista para servir fría",
            ),
            described(
                "Vermut rojo 1 L",
                "6.45",
                "Vermú rojo para el aperitivo, servir con hielo y naranja",
            ),
            item("Sidra natural 70 cl", "2.75"),
        ],
    },
    Group {
        parent: "Droguería",
        category: "Limpieza del hogar",
        rate: "IVA general",
        unit: Unit::Unit,
        items: &[
            described(
                "Lejía 2 L",
                "1.15",
                "Lejía desinfectante para la limpieza del hogar y blanquear la ropa",
            ),
            described(
                "Detergente líquido 40 lavados",
                "7.95",
                "Detergente líquido para lavadora, ropa blanca y de color",
            ),
            described(
                "Suavizante 60 lavados",
                "3.45",
                "Suavizante para la ropa en lavadora, con aroma fresco",
            ),
            described(
                "Lavavajillas a mano 750 ml",
                "1.65",
                "Lavavajillas líquido para fregar la vajilla a mano",
            ),
            described(
                "Pastillas lavavajillas 40 uds",
                "6.95",
                "Pastillas de detergente para el lavavajillas automático",
            ),
            described(
                "Limpiador multiusos 750 ml",
                "1.85",
                "Limpiador en spray para cocina, baño y superficies",
            ),
            described(
                "Friegasuelos 1,5 L",
                "1.95",
                "Limpiador para fregar suelos con aroma fresco",
            ),
            described(
                "Limpiacristales 750 ml",
                "1.75",
                "Limpiador en spray para cristales, ventanas y espejos",
            ),
            item("Bayetas multiusos 3 uds", "1.50"),
            described(
                "Estropajo con esponja 3 uds",
                "1.20",
                "Estropajo verde con esponja para fregar sartenes y cacharros",
            ),
            item("Bolsas de basura 30 L 25 uds", "1.95"),
        ],
    },
    Group {
        parent: "Droguería",
        category: "Papel y celulosa",
        rate: "IVA general",
        unit: Unit::Unit,
        items: &[
            described(
                "Papel higiénico 12 rollos",
                "4.95",
                "Rollos de papel higiénico suave para el baño",
            ),
            described(
                "Papel de cocina 3 rollos",
                "2.65",
                "Rollos de papel absorbente para la cocina",
            ),
            item("Pañuelos de papel 10 paquetes", "1.45"),
            item("Servilletas 100 uds", "0.95"),
            described(
                "Papel de aluminio 30 m",
                "2.15",
                "Rollo de papel de aluminio para envolver y hornear",
            ),
            described(
                "Film transparente 50 m",
                "1.85",
                "Rollo de film plástico para envolver y conservar alimentos",
            ),
        ],
    },
    Group {
        parent: "Higiene y cuidado personal",
        category: "Higiene corporal",
        rate: "IVA general",
        unit: Unit::Unit,
        items: &[
            described(
                "Gel de ducha 750 ml",
                "2.45",
                "Gel de baño y ducha para toda la familia",
            ),
            item("Champú anticaspa 400 ml", "3.25"),
            item("Champú familiar 750 ml", "2.65"),
            described(
                "Acondicionador 400 ml",
                "2.35",
                "Acondicionador para el cabello que facilita el peinado",
            ),
            described(
                "Desodorante roll-on 50 ml",
                "2.15",
                "Desodorante de bola para las axilas",
            ),
            item("Jabón de manos 500 ml", "1.45"),
            described(
                "Crema hidratante corporal 400 ml",
                "3.95",
                "Loción hidratante para el cuerpo, para piel seca",
            ),
            described(
                "Maquinillas de afeitar 5 uds",
                "2.95",
                "Cuchillas de afeitar desechables",
            ),
            item("Espuma de afeitar 250 ml", "1.95"),
        ],
    },
    Group {
        parent: "Higiene y cuidado personal",
        category: "Cuidado bucal",
        rate: "IVA general",
        unit: Unit::Unit,
        items: &[
            described(
                "Pasta de dientes 75 ml",
                "1.65",
                "Dentífrico con flúor para toda la familia",
            ),
            item("Pasta de dientes blanqueadora 75 ml", "2.45"),
            item("Cepillo de dientes medio", "1.35"),
            described(
                "Enjuague bucal 500 ml",
                "2.95",
                "Colutorio para un aliento fresco y la boca limpia",
            ),
            described(
                "Seda dental 50 m",
                "1.95",
                "Hilo dental para limpiar entre los dientes",
            ),
        ],
    },
    Group {
        parent: "Parafarmacia",
        category: "Medicamentos sin receta",
        rate: "IVA superreducido",
        unit: Unit::Unit,
        items: &[
            described(
                "Paracetamol 500 mg 20 comprimidos",
                "1.95",
                "Analgésico y antitérmico para el dolor de cabeza y la fiebre",
            ),
            described(
                "Paracetamol 1 g 40 comprimidos",
                "2.60",
                "Analgésico y antitérmico para dolores moderados y la fiebre",
            ),
            described(
                "Ibuprofeno 400 mg 20 comprimidos",
                "2.85",
                "Antiinflamatorio para dolor muscular, de muelas, de cabeza y fiebre",
            ),
            described(
                "Ácido acetilsalicílico 500 mg 20 comprimidos",
                "2.45",
                "Analgésico, antitérmico y antiinflamatorio para el dolor y la fiebre",
            ),
            described(
                "Antiácido masticable 24 comprimidos",
                "4.95",
                "Alivia el ardor de estómago y la acidez",
            ),
            described(
                "Pastillas para la garganta miel y limón 24 uds",
                "5.45",
                "Pastillas para chupar que alivian el dolor de garganta",
            ),
        ],
    },
    Group {
        parent: "Parafarmacia",
        category: "Primeros auxilios",
        rate: "IVA general",
        unit: Unit::Unit,
        items: &[
            described(
                "Tiritas surtidas 40 uds",
                "2.95",
                "Apósitos adhesivos de varios tamaños para pequeñas heridas y cortes",
            ),
            described(
                "Gasas estériles 12 uds",
                "1.95",
                "Gasas de algodón estériles para curar heridas",
            ),
            described(
                "Alcohol 96º 250 ml",
                "1.35",
                "Alcohol etílico para desinfectar la piel y el material de curas",
            ),
            described(
                "Agua oxigenada 250 ml",
                "0.95",
                "Antiséptico para limpiar y desinfectar heridas",
            ),
            described(
                "Termómetro digital",
                "6.95",
                "Termómetro clínico digital para medir la fiebre",
            ),
            described(
                "Suero fisiológico 30 monodosis",
                "3.45",
                "Monodosis de suero salino para lavado nasal y ocular",
            ),
        ],
    },
    Group {
        parent: "Bebé",
        category: "Alimentación infantil",
        rate: "IVA superreducido",
        unit: Unit::Unit,
        items: &[
            described(
                "Leche de continuación 800 g",
                "12.95",
                "Leche infantil en polvo para bebés a partir de seis meses",
            ),
            described(
                "Papilla de cereales 600 g",
                "4.45",
                "Cereales infantiles en polvo para preparar papilla con leche",
            ),
            described(
                "Potito de verduras con pollo 250 g",
                "1.35",
                "Puré de verduras con pollo para bebés, listo para calentar",
            ),
            described(
                "Tarrito de frutas 4x130 g",
                "2.95",
                "Puré de frutas para bebés, para la merienda",
            ),
        ],
    },
    Group {
        parent: "Bebé",
        category: "Higiene del bebé",
        rate: "IVA general",
        unit: Unit::Unit,
        items: &[
            described(
                "Pañales talla 4 44 uds",
                "11.95",
                "Pañales desechables para bebés de 9 a 14 kg",
            ),
            described(
                "Toallitas húmedas 80 uds",
                "1.95",
                "Toallitas húmedas para limpiar la piel del bebé en cada cambio",
            ),
            described(
                "Crema de pañal 100 ml",
                "4.25",
                "Crema protectora para prevenir y aliviar la irritación del pañal",
            ),
            described(
                "Champú infantil 500 ml",
                "3.15",
                "Champú suave para el pelo de bebés y niños",
            ),
        ],
    },
    Group {
        parent: "Alimentación",
        category: "Frutas",
        rate: "IVA superreducido",
        unit: Unit::Kg,
        items: &[
            described(
                "Aguacate Hass",
                "4.49",
                "Aguacate (palta) de pulpa cremosa para guacamole, ensaladas y tostadas",
            ),
            described(
                "Melocotón amarillo",
                "2.99",
                "Fruta de hueso de piel aterciopelada y carne amarilla",
            ),
            item("Piña", "1.99"),
            described("Banana", "1.49", "Banana de importación de sabor suave"),
            described(
                "Plátano macho",
                "2.49",
                "Plátano grande para cocinar, freír o cocer",
            ),
            item("Mango", "3.49"),
            described(
                "Lima",
                "3.99",
                "Cítrico verde y ácido para mojitos, cócteles y guacamole",
            ),
        ],
    },
    Group {
        parent: "Alimentación",
        category: "Verduras y hortalizas",
        rate: "IVA superreducido",
        unit: Unit::Kg,
        items: &[
            described(
                "Judías verdes planas",
                "3.49",
                "Vainas verdes tiernas para hervir, rehogar o menestra",
            ),
            described(
                "Guisantes frescos",
                "4.99",
                "Guisantes tiernos en vaina para desgranar, de temporada",
            ),
            described(
                "Calabaza",
                "1.49",
                "Calabaza de pulpa naranja para cremas, purés y horno",
            ),
            described(
                "Boniato",
                "1.99",
                "Tubérculo dulce de pulpa naranja para asar o hacer puré",
            ),
            described(
                "Guindilla roja",
                "6.99",
                "Pimiento pequeño y muy picante para guisos y sofritos",
            ),
            described(
                "Yuca",
                "2.49",
                "Raíz tropical de carne blanca para cocer o freír",
            ),
        ],
    },
    Group {
        parent: "Alimentación",
        category: "Verduras y hortalizas",
        rate: "IVA superreducido",
        unit: Unit::Unit,
        items: &[
            described(
                "Mazorcas de maíz dulce 2 uds",
                "1.99",
                "Mazorcas de maíz dulce cocidas, para plancha o barbacoa",
            ),
            described(
                "Cilantro fresco manojo",
                "0.99",
                "Hierba aromática fresca para guacamole, ceviche y salsas",
            ),
        ],
    },
    Group {
        parent: "Alimentación",
        category: "Arroz, pasta y legumbres",
        rate: "IVA reducido",
        unit: Unit::Unit,
        items: &[
            described(
                "Alubias pintas 1 kg",
                "2.29",
                "Legumbre seca de piel moteada para guisos y potajes",
            ),
            described(
                "Alubias rojas cocidas 400 g",
                "0.95",
                "Alubias rojas ya cocidas, listas para chili y ensaladas",
            ),
            described(
                "Frijoles negros cocidos 400 g",
                "1.29",
                "Alubias negras ya cocidas, listas para calentar",
            ),
        ],
    },
    Group {
        parent: "Alimentación",
        category: "Harinas y azúcar",
        rate: "IVA superreducido",
        unit: Unit::Unit,
        items: &[
            described(
                "Harina de trigo 1 kg",
                "0.89",
                "Harina de trigo de uso general para repostería, rebozar y salsas",
            ),
            described(
                "Harina de maíz precocida 1 kg",
                "2.19",
                "Harina de maíz blanco precocida para hacer arepas",
            ),
        ],
    },
    Group {
        parent: "Alimentación",
        category: "Harinas y azúcar",
        rate: "IVA reducido",
        unit: Unit::Unit,
        items: &[
            item("Azúcar blanco 1 kg", "1.19"),
            described(
                "Azúcar moreno 1 kg",
                "1.89",
                "Azúcar moreno de caña para repostería y café",
            ),
        ],
    },
    Group {
        parent: "Alimentación",
        category: "Snacks y dulces",
        rate: "IVA reducido",
        unit: Unit::Unit,
        items: &[
            described(
                "Cacahuetes tostados 200 g",
                "1.25",
                "Cacahuetes tostados con sal para el aperitivo",
            ),
            described(
                "Nachos de maíz 200 g",
                "1.45",
                "Triángulos de tortilla de maíz fritos, para mojar en salsa",
            ),
        ],
    },
    Group {
        parent: "Alimentación",
        category: "Cocina internacional",
        rate: "IVA reducido",
        unit: Unit::Unit,
        items: &[
            described(
                "Tortillas de trigo 8 uds",
                "1.65",
                "Tortillas blandas de harina de trigo para burritos, fajitas y wraps",
            ),
            described(
                "Salsa picante 150 ml",
                "1.95",
                "Salsa de chile rojo picante para tacos, huevos y pizza",
            ),
            described(
                "Jalapeños en rodajas 220 g",
                "1.75",
                "Chiles jalapeños en vinagre cortados en rodajas, para nachos y tacos",
            ),
            described(
                "Guacamole 200 g",
                "2.45",
                "Salsa fría de aguacate con cebolla, tomate y cilantro",
            ),
        ],
    },
    Group {
        parent: "Alimentación",
        category: "Platos preparados",
        rate: "IVA reducido",
        unit: Unit::Unit,
        items: &[described(
            "Tortilla de patatas con cebolla 600 g",
            "3.95",
            "Tortilla española de huevo y patata, lista para calentar",
        )],
    },
    Group {
        parent: "Alimentación",
        category: "Lácteos y huevos",
        rate: "IVA superreducido",
        unit: Unit::Unit,
        items: &[item("Leche semidesnatada pack 6x1 L", "5.64")],
    },
    Group {
        parent: "Alimentación",
        category: "Aceites y condimentos",
        rate: "IVA reducido",
        unit: Unit::Unit,
        items: &[described(
            "Aceite de oliva virgen extra 5 L",
            "39.95",
            "Garrafa de aceite de oliva virgen extra para cocinar y aliñar",
        )],
    },
    Group {
        parent: "Bebidas",
        category: "Agua",
        rate: "IVA reducido",
        unit: Unit::Unit,
        items: &[item("Agua mineral 2 L", "0.55")],
    },
    Group {
        parent: "Bebidas",
        category: "Refrescos",
        rate: "IVA general",
        unit: Unit::Unit,
        items: &[
            described("Coca-Cola lata 33 cl", "0.85", "Refresco de cola en lata"),
            described(
                "Refresco de cola 2 L",
                "0.99",
                "Refresco de cola con gas, botella familiar",
            ),
        ],
    },
    Group {
        parent: "Bebidas",
        category: "Cervezas",
        rate: "IVA general",
        unit: Unit::Unit,
        items: &[described(
            "Cerveza lager botella 1 L",
            "1.25",
            "Botella de litro de cerveza rubia tipo lager",
        )],
    },
];
