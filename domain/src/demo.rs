//! Demo data: a small Spanish supermarket, so GraphiQL has something to show.
//!
//! `pos-api seed-demo` loads it through the same domain functions the API uses (so every
//! rule, movement and audit row is real). It is idempotent: tax rates and categories are
//! matched by name, products by SKU, and stock is only received for products created now.

use std::collections::HashMap;

use entity::product::Unit;
use entity::{category, tax_rate};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, TransactionTrait};
use uuid::Uuid;

use crate::catalog::barcode;
use crate::catalog::products::{self, NewProduct};
use crate::catalog::{categories, tax_rates};
use crate::error::Result;
use crate::inventory::{self, Receipt, ReceiptLine};
use crate::money::Currency;

/// What the seeding did.
#[derive(Debug, Default, Clone, Copy)]
pub struct Seeded {
    pub tax_rates: usize,
    pub categories: usize,
    pub products: usize,
}

/// Spanish VAT rates.
const TAX_RATES: [(&str, &str); 4] = [
    ("IVA general", "21"),
    ("IVA reducido", "10"),
    ("IVA superreducido", "4"),
    ("Exento", "0"),
];

/// (parent category, category, VAT rate, unit, products as "name|price" or
/// "name|price|description").
type Group = (
    &'static str,
    &'static str,
    &'static str,
    Unit,
    &'static [&'static str],
);

/// Products get their SKUs (`DEMO-0001`, ...) in list order across all groups, so existing
/// items keep their place: new products go in new groups at the end (a group may repeat a
/// category; categories are matched by name and parent). Descriptions are short shelf-label
/// texts, in Spanish like the names, that product search also matches.
const GROUPS: &[Group] = &[
    (
        "Alimentación",
        "Lácteos y huevos",
        "IVA superreducido",
        Unit::Unit,
        &[
            "Leche entera 1 L|1.05",
            "Leche semidesnatada 1 L|0.99",
            "Leche desnatada 1 L|0.95",
            "Leche sin lactosa 1 L|1.25|Leche de vaca UHT sin lactosa, para intolerantes a la lactosa",
            "Leche entera pack 6x1 L|5.94",
            "Bebida de avena 1 L|1.65|Bebida vegetal de avena, alternativa a la leche de vaca",
            "Huevos frescos M docena|2.45",
            "Huevos camperos L media docena|2.10",
            "Mantequilla con sal 250 g|2.85",
            "Nata para cocinar 200 ml|0.89|Nata líquida para cocinar salsas, cremas y pasta",
        ],
    ),
    (
        "Alimentación",
        "Yogures y postres",
        "IVA reducido",
        Unit::Unit,
        &[
            "Yogur natural pack 4x125 g|1.20",
            "Yogur griego natural 4x115 g|1.85",
            "Yogur de fresa 4x125 g|1.35",
            "Yogur líquido de frutas 6x180 g|2.40|Yogur para beber con frutas, en botellitas individuales",
            "Natillas de vainilla 4x125 g|1.45",
            "Flan de huevo 4x100 g|1.30",
            "Arroz con leche 4x125 g|1.60",
            "Cuajada 4x125 g|1.75",
            "Kéfir natural 500 g|1.95|Leche fermentada con fermentos de kéfir, para beber o tomar con cuchara",
        ],
    ),
    (
        "Alimentación",
        "Quesos",
        "IVA superreducido",
        Unit::Unit,
        &[
            "Queso fresco de Burgos 250 g|1.95",
            "Queso rallado mezcla 200 g|1.75|Mezcla de quesos rallados para gratinar pizza y pasta",
            "Queso en lonchas tierno 250 g|2.35",
            "Queso de cabra rulo 200 g|2.90",
            "Queso manchego curado cuña 250 g|4.95|Queso curado de leche de oveja manchega, D.O.P. Queso Manchego",
            "Mozzarella fresca 125 g|1.10|Queso fresco italiano en bola, para ensalada caprese y pizza",
            "Queso azul cremoso 150 g|2.25",
            "Queso crema para untar 200 g|1.55|Queso crema suave para untar en tostadas y hacer tartas",
        ],
    ),
    (
        "Alimentación",
        "Panadería y bollería",
        "IVA superreducido",
        Unit::Unit,
        &[
            "Barra de pan 250 g|0.75",
            "Pan de molde integral 460 g|1.65",
            "Pan de molde blanco sin corteza 450 g|1.85|Pan de molde blanco tierno sin corteza, para sándwiches",
            "Pan de hamburguesa 4 uds|1.25",
            "Tostadas de trigo 270 g|1.45",
            "Picos de pan 250 g|1.10",
            "Croissants 6 uds|2.20|Bollos de hojaldre para el desayuno o la merienda",
            "Magdalenas 12 uds|1.95|Bizcochos esponjosos para el desayuno y la merienda",
            "Ensaimada 2 uds|1.80|Bollo de masa en espiral con azúcar glas, típico de Mallorca",
            "Pan rallado 500 g|0.95|Pan seco molido para empanar y rebozar",
        ],
    ),
    (
        "Alimentación",
        "Frutas",
        "IVA superreducido",
        Unit::Kg,
        &[
            "Manzana Golden|1.99",
            "Manzana Fuji|2.39",
            "Plátano de Canarias|2.29",
            "Naranja de zumo|1.49|Naranja jugosa para exprimir",
            "Mandarina|2.19",
            "Pera conferencia|2.09",
            "Uva blanca sin semillas|3.49",
            "Fresón|3.99|Fresa de gran tamaño, dulce y aromática",
            "Kiwi verde|3.29",
            "Limón|1.89",
            "Melón piel de sapo|1.49",
            "Sandía|0.99",
        ],
    ),
    (
        "Alimentación",
        "Verduras y hortalizas",
        "IVA superreducido",
        Unit::Kg,
        &[
            "Tomate pera|1.99|Tomate alargado de pulpa carnosa, para salsas y ensaladas",
            "Tomate cherry|3.49",
            "Patata para freír|1.19",
            "Cebolla|1.29",
            "Ajo morado|5.99",
            "Zanahoria|1.09",
            "Pimiento rojo|2.79",
            "Pimiento verde italiano|2.49",
            "Calabacín|1.69",
            "Berenjena|1.89",
            "Lechuga romana|2.20|Lechuga de hojas largas y crujientes para ensalada",
            "Pepino|1.59",
            "Brócoli|2.99",
        ],
    ),
    (
        "Alimentación",
        "Carnes",
        "IVA reducido",
        Unit::Kg,
        &[
            "Pechuga de pollo fileteada|7.49|Filetes de pechuga de pollo fresca, para plancha y empanar",
            "Muslos de pollo|3.99",
            "Carne picada mixta|6.99|Carne picada de vacuno y cerdo para albóndigas, boloñesa y hamburguesas",
            "Lomo de cerdo en filetes|6.49",
            "Costillas de cerdo|5.99|Costillas de cerdo para asar al horno o a la barbacoa",
            "Filete de ternera|13.99",
            "Hamburguesas de ternera|8.99",
            "Chuletas de cordero|15.99",
        ],
    ),
    (
        "Alimentación",
        "Charcutería",
        "IVA reducido",
        Unit::Kg,
        &[
            "Jamón serrano al corte|24.90|Jamón curado cortado en lonchas finas al momento",
            "Jamón cocido extra al corte|12.90|Jamón de York extra cortado en lonchas al momento",
            "Chorizo ibérico al corte|15.90|Embutido curado de cerdo ibérico con pimentón",
            "Salchichón al corte|11.90",
            "Pavo asado al corte|13.50|Fiambre de pechuga de pavo asada en lonchas",
            "Lomo embuchado al corte|29.90",
        ],
    ),
    (
        "Alimentación",
        "Pescado",
        "IVA reducido",
        Unit::Kg,
        &[
            "Salmón fresco en lomos|16.90",
            "Merluza en filetes|12.90",
            "Dorada|8.99|Pescado blanco entero de ración, para horno o a la sal",
            "Lubina|9.49",
            "Boquerón|6.99|Pescado azul pequeño para freír o preparar en vinagre",
            "Gambas cocidas|14.90|Gambas ya cocidas, listas para aperitivos y ensaladas",
            "Mejillones|3.49",
            "Bacalao desalado|15.50|Bacalao listo para cocinar, sin necesidad de desalar",
        ],
    ),
    (
        "Alimentación",
        "Aceites y condimentos",
        "IVA reducido",
        Unit::Unit,
        &[
            "Aceite de oliva virgen extra 1 L|8.95|Aceite de oliva virgen extra para aliñar y cocinar",
            "Aceite de oliva suave 1 L|7.45|Aceite de oliva de sabor suave para cocinar y freír",
            "Aceite de girasol 1 L|2.15|Aceite vegetal de semillas de girasol para freír",
            "Vinagre de Jerez 500 ml|1.95|Vinagre de vino de Jerez para aliñar ensaladas y gazpacho",
            "Sal fina 1 kg|0.45",
            "Sal marina en escamas 250 g|2.90",
            "Pimentón de la Vera dulce 75 g|2.35|Pimentón dulce ahumado para guisos, pulpo y embutidos",
            "Azafrán en hebra 1 g|3.95|Hebras de azafrán para dar color y aroma a la paella",
            "Mayonesa 450 ml|2.05",
            "Tomate frito 400 g|0.95|Salsa de tomate frito para pasta, arroces y guisos",
            "Ketchup 560 g|1.85",
        ],
    ),
    (
        "Alimentación",
        "Arroz, pasta y legumbres",
        "IVA reducido",
        Unit::Unit,
        &[
            "Arroz redondo 1 kg|1.35|Arroz de grano redondo para paellas, arroces caldosos y postres",
            "Arroz bomba 1 kg|3.95|Arroz de grano redondo que absorbe mucho caldo, ideal para paella",
            "Arroz basmati 1 kg|2.45|Arroz aromático de grano largo para guarniciones y platos orientales",
            "Macarrones 500 g|0.89",
            "Espaguetis 500 g|0.89",
            "Fideos para sopa 500 g|0.95|Fideos finos de trigo para sopas y caldos",
            "Lentejas pardinas 1 kg|1.99|Lentejas secas pequeñas de piel fina, sin necesidad de remojo",
            "Garbanzos cocidos 400 g|0.79|Garbanzos ya cocidos, listos para guisos, ensaladas y hummus",
            "Alubias blancas cocidas 400 g|0.85|Alubias blancas ya cocidas, listas para guisos y ensaladas",
            "Cuscús 500 g|1.45",
        ],
    ),
    (
        "Alimentación",
        "Conservas",
        "IVA reducido",
        Unit::Unit,
        &[
            "Atún en aceite de oliva 3x80 g|3.45",
            "Sardinas en aceite 120 g|1.60",
            "Mejillones en escabeche 115 g|1.95",
            "Tomate triturado 400 g|0.69",
            "Pimientos del piquillo 250 g|2.45|Pimientos rojos asados enteros, para rellenar o de guarnición",
            "Espárragos blancos 330 g|2.95",
            "Aceitunas manzanilla rellenas 350 g|1.35|Aceitunas verdes rellenas de anchoa, para el aperitivo",
            "Maíz dulce 3x140 g|1.65|Granos de maíz dulce en lata para ensaladas",
            "Melocotón en almíbar 480 g|1.75",
        ],
    ),
    (
        "Alimentación",
        "Desayuno",
        "IVA reducido",
        Unit::Unit,
        &[
            "Café molido natural 250 g|2.85|Café molido de tueste natural para cafetera italiana o de goteo",
            "Café molido mezcla 250 g|2.65",
            "Café en cápsulas 10 uds|2.95|Cápsulas de café espresso para cafetera de cápsulas",
            "Café soluble descafeinado 100 g|3.75|Café instantáneo descafeinado, se disuelve en agua o leche",
            "Cacao soluble 760 g|4.95|Cacao en polvo para disolver en leche, desayuno y merienda",
            "Cereales de maíz 500 g|2.25|Copos de maíz tostados para desayunar con leche",
            "Copos de avena 500 g|1.35|Copos de avena para porridge, batidos y repostería",
            "Muesli con frutas 500 g|2.75|Mezcla de cereales, frutas deshidratadas y frutos secos",
            "Galletas María 800 g|1.65|Galletas clásicas para mojar en leche en el desayuno",
            "Mermelada de fresa 340 g|1.80",
            "Miel de flores 500 g|3.95",
            "Té verde 20 bolsitas|1.45",
        ],
    ),
    (
        "Alimentación",
        "Congelados",
        "IVA reducido",
        Unit::Unit,
        &[
            "Pizza barbacoa congelada|2.95",
            "Guisantes congelados 1 kg|1.85",
            "Patatas prefritas congeladas 1 kg|1.55|Patatas fritas congeladas para freidora, horno o freidora de aire",
            "Croquetas de jamón 500 g|2.45",
            "Varitas de merluza 400 g|2.75|Palitos de merluza empanados congelados, para freír u hornear",
            "Helado de vainilla 1 L|2.95",
            "Menestra de verduras 1 kg|1.95|Mezcla de verduras congeladas para menestra y salteados",
            "Langostinos congelados 500 g|6.95",
        ],
    ),
    (
        "Alimentación",
        "Snacks y dulces",
        "IVA reducido",
        Unit::Unit,
        &[
            "Patatas fritas clásicas 160 g|1.45|Patatas fritas de bolsa crujientes para el aperitivo",
            "Patatas fritas al punto de sal 150 g|1.55|Patatas fritas de bolsa crujientes, con poca sal",
            "Almendras tostadas 200 g|2.65",
            "Pistachos 250 g|3.95",
            "Palomitas para microondas 3x100 g|1.35|Palomitas de maíz para hacer en el microondas",
            "Chocolate con leche 100 g|1.10",
            "Chocolate negro 70% 100 g|1.45",
            "Turrón de Jijona 200 g|3.95|Turrón blando de almendra, dulce típico de Navidad",
            "Gominolas 100 g|0.95",
        ],
    ),
    (
        "Bebidas",
        "Agua",
        "IVA reducido",
        Unit::Unit,
        &[
            "Agua mineral 1,5 L|0.45",
            "Agua mineral pack 6x1,5 L|2.55",
            "Agua mineral 50 cl|0.35",
            "Agua con gas 1 L|0.85",
            "Agua mineral garrafa 5 L|1.15",
        ],
    ),
    (
        "Bebidas",
        "Refrescos",
        "IVA general",
        Unit::Unit,
        &[
            "Gaseosa Coca-Cola 2 L|2.15|Refresco de cola con gas, botella familiar",
            "Coca-Cola Zero lata 33 cl|0.75|Refresco de cola sin azúcar en lata",
            "Coca-Cola pack 12 latas|7.95|Refresco de cola, pack de doce latas",
            "Refresco de naranja 2 L|1.55",
            "Refresco de limón 2 L|1.55",
            "Gaseosa 1,5 L|0.65|Bebida con gas transparente y dulce, para tinto de verano",
            "Tónica 1 L|1.25|Agua tónica con quinina, para combinados y gin-tonic",
            "Bebida isotónica limón 50 cl|1.05|Bebida para deportistas que ayuda a reponer sales minerales",
            "Té frío al limón 1,5 L|1.35",
            "Bebida energética lata 50 cl|1.45|Bebida energética con cafeína y taurina",
        ],
    ),
    (
        "Bebidas",
        "Zumos",
        "IVA reducido",
        Unit::Unit,
        &[
            "Zumo de naranja exprimido 1 L|2.35",
            "Zumo de piña 1 L|1.25",
            "Zumo de melocotón y uva 1 L|1.15",
            "Néctar de manzana 1 L|1.05",
            "Gazpacho 1 L|2.65|Sopa fría de tomate, pepino y pimiento lista para tomar",
            "Zumo de tomate 1 L|1.35",
        ],
    ),
    (
        "Bebidas",
        "Cervezas",
        "IVA general",
        Unit::Unit,
        &[
            "Cerveza lager lata 33 cl|0.65",
            "Cerveza lager pack 6 latas|3.75",
            "Cerveza sin alcohol lata 33 cl|0.69",
            "Cerveza tostada botella 33 cl|0.95|Cerveza tostada de malta caramelizada en botellín",
            "Cerveza IPA artesana 33 cl|2.25|Cerveza artesana de estilo IPA, lupulada y amarga",
            "Cerveza con limón lata 33 cl|0.75|Cerveza rubia mezclada con limón, tipo clara",
        ],
    ),
    (
        "Bebidas",
        "Vinos y licores",
        "IVA general",
        Unit::Unit,
        &[
            "Vino tinto Rioja crianza 75 cl|6.95|Vino tinto D.O.Ca. Rioja con crianza en barrica",
            "Vino tinto Ribera del Duero roble 75 cl|7.95|Vino tinto D.O. Ribera del Duero con paso por barrica",
            "Vino blanco Rueda verdejo 75 cl|5.45|Vino blanco afrutado D.O. Rueda de uva verdejo",
            "Vino rosado Navarra 75 cl|4.25",
            "Cava brut 75 cl|5.95|Vino espumoso D.O. Cava para brindar en celebraciones",
            "Sangría 1,5 L|2.45|Bebida de vino tinto con frutas, lista para servir fría",
            "Vermut rojo 1 L|6.45|Vermú rojo para el aperitivo, servir con hielo y naranja",
            "Sidra natural 70 cl|2.75",
        ],
    ),
    (
        "Droguería",
        "Limpieza del hogar",
        "IVA general",
        Unit::Unit,
        &[
            "Lejía 2 L|1.15|Lejía desinfectante para la limpieza del hogar y blanquear la ropa",
            "Detergente líquido 40 lavados|7.95|Detergente líquido para lavadora, ropa blanca y de color",
            "Suavizante 60 lavados|3.45|Suavizante para la ropa en lavadora, con aroma fresco",
            "Lavavajillas a mano 750 ml|1.65|Lavavajillas líquido para fregar la vajilla a mano",
            "Pastillas lavavajillas 40 uds|6.95|Pastillas de detergente para el lavavajillas automático",
            "Limpiador multiusos 750 ml|1.85|Limpiador en spray para cocina, baño y superficies",
            "Friegasuelos 1,5 L|1.95|Limpiador para fregar suelos con aroma fresco",
            "Limpiacristales 750 ml|1.75|Limpiador en spray para cristales, ventanas y espejos",
            "Bayetas multiusos 3 uds|1.50",
            "Estropajo con esponja 3 uds|1.20|Estropajo verde con esponja para fregar sartenes y cacharros",
            "Bolsas de basura 30 L 25 uds|1.95",
        ],
    ),
    (
        "Droguería",
        "Papel y celulosa",
        "IVA general",
        Unit::Unit,
        &[
            "Papel higiénico 12 rollos|4.95|Rollos de papel higiénico suave para el baño",
            "Papel de cocina 3 rollos|2.65|Rollos de papel absorbente para la cocina",
            "Pañuelos de papel 10 paquetes|1.45",
            "Servilletas 100 uds|0.95",
            "Papel de aluminio 30 m|2.15|Rollo de papel de aluminio para envolver y hornear",
            "Film transparente 50 m|1.85|Rollo de film plástico para envolver y conservar alimentos",
        ],
    ),
    (
        "Higiene y cuidado personal",
        "Higiene corporal",
        "IVA general",
        Unit::Unit,
        &[
            "Gel de ducha 750 ml|2.45|Gel de baño y ducha para toda la familia",
            "Champú anticaspa 400 ml|3.25",
            "Champú familiar 750 ml|2.65",
            "Acondicionador 400 ml|2.35|Acondicionador para el cabello que facilita el peinado",
            "Desodorante roll-on 50 ml|2.15|Desodorante de bola para las axilas",
            "Jabón de manos 500 ml|1.45",
            "Crema hidratante corporal 400 ml|3.95|Loción hidratante para el cuerpo, para piel seca",
            "Maquinillas de afeitar 5 uds|2.95|Cuchillas de afeitar desechables",
            "Espuma de afeitar 250 ml|1.95",
        ],
    ),
    (
        "Higiene y cuidado personal",
        "Cuidado bucal",
        "IVA general",
        Unit::Unit,
        &[
            "Pasta de dientes 75 ml|1.65|Dentífrico con flúor para toda la familia",
            "Pasta de dientes blanqueadora 75 ml|2.45",
            "Cepillo de dientes medio|1.35",
            "Enjuague bucal 500 ml|2.95|Colutorio para un aliento fresco y la boca limpia",
            "Seda dental 50 m|1.95|Hilo dental para limpiar entre los dientes",
        ],
    ),
    (
        "Parafarmacia",
        "Medicamentos sin receta",
        "IVA superreducido",
        Unit::Unit,
        &[
            "Paracetamol 500 mg 20 comprimidos|1.95|Analgésico y antitérmico para el dolor de cabeza y la fiebre",
            "Paracetamol 1 g 40 comprimidos|2.60|Analgésico y antitérmico para dolores moderados y la fiebre",
            "Ibuprofeno 400 mg 20 comprimidos|2.85|Antiinflamatorio para dolor muscular, de muelas, de cabeza y fiebre",
            "Ácido acetilsalicílico 500 mg 20 comprimidos|2.45|Analgésico, antitérmico y antiinflamatorio para el dolor y la fiebre",
            "Antiácido masticable 24 comprimidos|4.95|Alivia el ardor de estómago y la acidez",
            "Pastillas para la garganta miel y limón 24 uds|5.45|Pastillas para chupar que alivian el dolor de garganta",
        ],
    ),
    (
        "Parafarmacia",
        "Primeros auxilios",
        "IVA general",
        Unit::Unit,
        &[
            "Tiritas surtidas 40 uds|2.95|Apósitos adhesivos de varios tamaños para pequeñas heridas y cortes",
            "Gasas estériles 12 uds|1.95|Gasas de algodón estériles para curar heridas",
            "Alcohol 96º 250 ml|1.35|Alcohol etílico para desinfectar la piel y el material de curas",
            "Agua oxigenada 250 ml|0.95|Antiséptico para limpiar y desinfectar heridas",
            "Termómetro digital|6.95|Termómetro clínico digital para medir la fiebre",
            "Suero fisiológico 30 monodosis|3.45|Monodosis de suero salino para lavado nasal y ocular",
        ],
    ),
    (
        "Bebé",
        "Alimentación infantil",
        "IVA superreducido",
        Unit::Unit,
        &[
            "Leche de continuación 800 g|12.95|Leche infantil en polvo para bebés a partir de seis meses",
            "Papilla de cereales 600 g|4.45|Cereales infantiles en polvo para preparar papilla con leche",
            "Potito de verduras con pollo 250 g|1.35|Puré de verduras con pollo para bebés, listo para calentar",
            "Tarrito de frutas 4x130 g|2.95|Puré de frutas para bebés, para la merienda",
        ],
    ),
    (
        "Bebé",
        "Higiene del bebé",
        "IVA general",
        Unit::Unit,
        &[
            "Pañales talla 4 44 uds|11.95|Pañales desechables para bebés de 9 a 14 kg",
            "Toallitas húmedas 80 uds|1.95|Toallitas húmedas para limpiar la piel del bebé en cada cambio",
            "Crema de pañal 100 ml|4.25|Crema protectora para prevenir y aliviar la irritación del pañal",
            "Champú infantil 500 ml|3.15|Champú suave para el pelo de bebés y niños",
        ],
    ),
    (
        "Alimentación",
        "Frutas",
        "IVA superreducido",
        Unit::Kg,
        &[
            "Aguacate Hass|4.49|Aguacate (palta) de pulpa cremosa para guacamole, ensaladas y tostadas",
            "Melocotón amarillo|2.99|Fruta de hueso de piel aterciopelada y carne amarilla",
            "Piña|1.99",
            "Banana|1.49|Banana de importación de sabor suave",
            "Plátano macho|2.49|Plátano grande para cocinar, freír o cocer",
            "Mango|3.49",
            "Lima|3.99|Cítrico verde y ácido para mojitos, cócteles y guacamole",
        ],
    ),
    (
        "Alimentación",
        "Verduras y hortalizas",
        "IVA superreducido",
        Unit::Kg,
        &[
            "Judías verdes planas|3.49|Vainas verdes tiernas para hervir, rehogar o menestra",
            "Guisantes frescos|4.99|Guisantes tiernos en vaina para desgranar, de temporada",
            "Calabaza|1.49|Calabaza de pulpa naranja para cremas, purés y horno",
            "Boniato|1.99|Tubérculo dulce de pulpa naranja para asar o hacer puré",
            "Guindilla roja|6.99|Pimiento pequeño y muy picante para guisos y sofritos",
            "Yuca|2.49|Raíz tropical de carne blanca para cocer o freír",
        ],
    ),
    (
        "Alimentación",
        "Verduras y hortalizas",
        "IVA superreducido",
        Unit::Unit,
        &[
            "Mazorcas de maíz dulce 2 uds|1.99|Mazorcas de maíz dulce cocidas, para plancha o barbacoa",
            "Cilantro fresco manojo|0.99|Hierba aromática fresca para guacamole, ceviche y salsas",
        ],
    ),
    (
        "Alimentación",
        "Arroz, pasta y legumbres",
        "IVA reducido",
        Unit::Unit,
        &[
            "Alubias pintas 1 kg|2.29|Legumbre seca de piel moteada para guisos y potajes",
            "Alubias rojas cocidas 400 g|0.95|Alubias rojas ya cocidas, listas para chili y ensaladas",
            "Frijoles negros cocidos 400 g|1.29|Alubias negras ya cocidas, listas para calentar",
        ],
    ),
    (
        "Alimentación",
        "Harinas y azúcar",
        "IVA superreducido",
        Unit::Unit,
        &[
            "Harina de trigo 1 kg|0.89|Harina de trigo de uso general para repostería, rebozar y salsas",
            "Harina de maíz precocida 1 kg|2.19|Harina de maíz blanco precocida para hacer arepas",
        ],
    ),
    (
        "Alimentación",
        "Harinas y azúcar",
        "IVA reducido",
        Unit::Unit,
        &[
            "Azúcar blanco 1 kg|1.19",
            "Azúcar moreno 1 kg|1.89|Azúcar moreno de caña para repostería y café",
        ],
    ),
    (
        "Alimentación",
        "Snacks y dulces",
        "IVA reducido",
        Unit::Unit,
        &[
            "Cacahuetes tostados 200 g|1.25|Cacahuetes tostados con sal para el aperitivo",
            "Nachos de maíz 200 g|1.45|Triángulos de tortilla de maíz fritos, para mojar en salsa",
        ],
    ),
    (
        "Alimentación",
        "Cocina internacional",
        "IVA reducido",
        Unit::Unit,
        &[
            "Tortillas de trigo 8 uds|1.65|Tortillas blandas de harina de trigo para burritos, fajitas y wraps",
            "Salsa picante 150 ml|1.95|Salsa de chile rojo picante para tacos, huevos y pizza",
            "Jalapeños en rodajas 220 g|1.75|Chiles jalapeños en vinagre cortados en rodajas, para nachos y tacos",
            "Guacamole 200 g|2.45|Salsa fría de aguacate con cebolla, tomate y cilantro",
        ],
    ),
    (
        "Alimentación",
        "Platos preparados",
        "IVA reducido",
        Unit::Unit,
        &[
            "Tortilla de patatas con cebolla 600 g|3.95|Tortilla española de huevo y patata, lista para calentar",
        ],
    ),
    (
        "Alimentación",
        "Lácteos y huevos",
        "IVA superreducido",
        Unit::Unit,
        &["Leche semidesnatada pack 6x1 L|5.64"],
    ),
    (
        "Alimentación",
        "Aceites y condimentos",
        "IVA reducido",
        Unit::Unit,
        &[
            "Aceite de oliva virgen extra 5 L|39.95|Garrafa de aceite de oliva virgen extra para cocinar y aliñar",
        ],
    ),
    (
        "Bebidas",
        "Agua",
        "IVA reducido",
        Unit::Unit,
        &["Agua mineral 2 L|0.55"],
    ),
    (
        "Bebidas",
        "Refrescos",
        "IVA general",
        Unit::Unit,
        &[
            "Coca-Cola lata 33 cl|0.85|Refresco de cola en lata",
            "Refresco de cola 2 L|0.99|Refresco de cola con gas, botella familiar",
        ],
    ),
    (
        "Bebidas",
        "Cervezas",
        "IVA general",
        Unit::Unit,
        &["Cerveza lager botella 1 L|1.25|Botella de litro de cerveza rubia tipo lager"],
    ),
];

/// Loads the demo shop into `MAIN` (and the rest of the catalog). `actor` signs the audit
/// rows; run it twice and the second run adds nothing.
pub async fn seed(
    db: &DatabaseConnection,
    actor: Uuid,
    currency: Currency,
    main: Uuid,
) -> Result<Seeded> {
    let mut seeded = Seeded::default();
    let txn = db.begin().await?;

    let mut rates: HashMap<&str, Uuid> = HashMap::new();
    for (name, percent) in TAX_RATES {
        let existing = tax_rate::Entity::find()
            .filter(tax_rate::Column::Name.eq(name))
            .one(&txn)
            .await?;
        let id = match existing {
            Some(rate) => rate.id,
            None => {
                seeded.tax_rates += 1;
                tax_rates::create(&txn, actor, tax_rates::NewTaxRate::parse(name, percent)?)
                    .await?
                    .id
            }
        };
        rates.insert(name, id);
    }

    let mut number = 0u64;
    let mut receipt = Vec::new();
    for (parent, name, rate, unit, items) in GROUPS {
        let parent_id = find_or_create_category(&txn, actor, parent, None, &mut seeded).await?;
        let category_id =
            find_or_create_category(&txn, actor, name, Some(parent_id), &mut seeded).await?;
        for item in *items {
            number += 1;
            let mut fields = item.splitn(3, '|');
            let product_name = fields.next().unwrap_or(item);
            let price = fields.next().unwrap_or("1.00");
            let description = fields.next().map(str::to_owned);
            let sku = format!("DEMO-{number:04}");
            if products::by_code(&txn, &sku).await?.is_some() {
                continue;
            }
            let price_minor = currency.parse_amount(price, "price", false)?;
            // Weighed goods have no barcode (the scale prints one); packaged goods an EAN-13.
            let barcode = (*unit == Unit::Unit)
                .then(|| barcode::with_check_digit(&format!("84{:010}", 7_000_000 + number * 37)));
            let product = products::create(
                &txn,
                actor,
                currency,
                NewProduct {
                    sku,
                    barcode,
                    name: product_name.to_owned(),
                    description,
                    category_id: Some(category_id),
                    unit: *unit,
                    price: price.to_owned(),
                    cost: None,
                    tax_rate_id: rates.get(rate).copied(),
                    track_stock: true,
                    low_stock_threshold: Some(if *unit == Unit::Unit {
                        "6".into()
                    } else {
                        "2".into()
                    }),
                },
            )
            .await?;
            seeded.products += 1;
            // Stock between 0 and 47 units (0.5 to 24 kg), bought at about 62 % of the price.
            let quantity = if *unit == Unit::Unit {
                (number * 7) % 48
            } else {
                500 + (number * 1_750) % 23_500
            };
            if quantity > 0 {
                let unit_cost = currency.format(price_minor * 62 / 100);
                let quantity = if *unit == Unit::Unit {
                    quantity.to_string()
                } else {
                    crate::quantity::format_milli(i64::try_from(quantity).unwrap_or(0))
                };
                receipt.push(ReceiptLine {
                    product_id: product.id,
                    quantity,
                    unit_cost: Some(unit_cost),
                });
            }
        }
    }
    if !receipt.is_empty() {
        inventory::receive(
            &txn,
            actor,
            currency,
            Receipt {
                location_id: main,
                lines: receipt,
                supplier: Some("Distribuciones Demo S.L.".into()),
                reference: Some("DEMO-ALTA".into()),
            },
        )
        .await?;
    }
    txn.commit().await?;
    Ok(seeded)
}

async fn find_or_create_category(
    txn: &sea_orm::DatabaseTransaction,
    actor: Uuid,
    name: &str,
    parent: Option<Uuid>,
    seeded: &mut Seeded,
) -> Result<Uuid> {
    let mut query = category::Entity::find().filter(category::Column::Name.eq(name));
    query = match parent {
        Some(parent) => query.filter(category::Column::ParentId.eq(parent)),
        None => query.filter(category::Column::ParentId.is_null()),
    };
    if let Some(existing) = query.one(txn).await? {
        return Ok(existing.id);
    }
    seeded.categories += 1;
    Ok(categories::create(txn, actor, name.to_owned(), parent)
        .await?
        .id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_demo_shop_has_a_few_hundred_products_with_valid_prices_and_short_descriptions() {
        let count: usize = GROUPS.iter().map(|g| g.4.len()).sum();
        assert!((200..=400).contains(&count), "{count}");
        let eur = Currency::parse("EUR").unwrap();
        let mut names = std::collections::HashSet::new();
        for (_, _, rate, _, items) in GROUPS {
            assert!(TAX_RATES.iter().any(|(name, _)| name == rate), "{rate}");
            for item in *items {
                let fields: Vec<&str> = item.split('|').collect();
                assert!(matches!(fields.len(), 2 | 3), "{item}");
                assert!(names.insert(fields[0]), "{item}: the name is taken");
                eur.parse_amount(fields[1], "price", false).unwrap();
                if let Some(description) = fields.get(2) {
                    let words = description.split_whitespace().count();
                    assert!((4..=15).contains(&words), "{item}: {words} words");
                }
            }
        }
    }
}
