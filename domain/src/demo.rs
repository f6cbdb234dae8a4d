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

/// (parent category, category, VAT rate, unit, products as "name|price").
type Group = (
    &'static str,
    &'static str,
    &'static str,
    Unit,
    &'static [&'static str],
);

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
            "Leche sin lactosa 1 L|1.25",
            "Leche entera pack 6x1 L|5.94",
            "Bebida de avena 1 L|1.65",
            "Huevos frescos M docena|2.45",
            "Huevos camperos L media docena|2.10",
            "Mantequilla con sal 250 g|2.85",
            "Nata para cocinar 200 ml|0.89",
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
            "Yogur líquido de frutas 6x180 g|2.40",
            "Natillas de vainilla 4x125 g|1.45",
            "Flan de huevo 4x100 g|1.30",
            "Arroz con leche 4x125 g|1.60",
            "Cuajada 4x125 g|1.75",
            "Kéfir natural 500 g|1.95",
        ],
    ),
    (
        "Alimentación",
        "Quesos",
        "IVA superreducido",
        Unit::Unit,
        &[
            "Queso fresco de Burgos 250 g|1.95",
            "Queso rallado mezcla 200 g|1.75",
            "Queso en lonchas tierno 250 g|2.35",
            "Queso de cabra rulo 200 g|2.90",
            "Queso manchego curado cuña 250 g|4.95",
            "Mozzarella fresca 125 g|1.10",
            "Queso azul cremoso 150 g|2.25",
            "Queso crema para untar 200 g|1.55",
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
            "Pan de molde blanco sin corteza 450 g|1.85",
            "Pan de hamburguesa 4 uds|1.25",
            "Tostadas de trigo 270 g|1.45",
            "Picos de pan 250 g|1.10",
            "Croissants 6 uds|2.20",
            "Magdalenas 12 uds|1.95",
            "Ensaimada 2 uds|1.80",
            "Pan rallado 500 g|0.95",
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
            "Naranja de zumo|1.49",
            "Mandarina|2.19",
            "Pera conferencia|2.09",
            "Uva blanca sin semillas|3.49",
            "Fresón|3.99",
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
            "Tomate pera|1.99",
            "Tomate cherry|3.49",
            "Patata para freír|1.19",
            "Cebolla|1.29",
            "Ajo morado|5.99",
            "Zanahoria|1.09",
            "Pimiento rojo|2.79",
            "Pimiento verde italiano|2.49",
            "Calabacín|1.69",
            "Berenjena|1.89",
            "Lechuga romana|2.20",
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
            "Pechuga de pollo fileteada|7.49",
            "Muslos de pollo|3.99",
            "Carne picada mixta|6.99",
            "Lomo de cerdo en filetes|6.49",
            "Costillas de cerdo|5.99",
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
            "Jamón serrano al corte|24.90",
            "Jamón cocido extra al corte|12.90",
            "Chorizo ibérico al corte|15.90",
            "Salchichón al corte|11.90",
            "Pavo asado al corte|13.50",
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
            "Dorada|8.99",
            "Lubina|9.49",
            "Boquerón|6.99",
            "Gambas cocidas|14.90",
            "Mejillones|3.49",
            "Bacalao desalado|15.50",
        ],
    ),
    (
        "Alimentación",
        "Aceites y condimentos",
        "IVA reducido",
        Unit::Unit,
        &[
            "Aceite de oliva virgen extra 1 L|8.95",
            "Aceite de oliva suave 1 L|7.45",
            "Aceite de girasol 1 L|2.15",
            "Vinagre de Jerez 500 ml|1.95",
            "Sal fina 1 kg|0.45",
            "Sal marina en escamas 250 g|2.90",
            "Pimentón de la Vera dulce 75 g|2.35",
            "Azafrán en hebra 1 g|3.95",
            "Mayonesa 450 ml|2.05",
            "Tomate frito 400 g|0.95",
            "Ketchup 560 g|1.85",
        ],
    ),
    (
        "Alimentación",
        "Arroz, pasta y legumbres",
        "IVA reducido",
        Unit::Unit,
        &[
            "Arroz redondo 1 kg|1.35",
            "Arroz bomba 1 kg|3.95",
            "Arroz basmati 1 kg|2.45",
            "Macarrones 500 g|0.89",
            "Espaguetis 500 g|0.89",
            "Fideos para sopa 500 g|0.95",
            "Lentejas pardinas 1 kg|1.99",
            "Garbanzos cocidos 400 g|0.79",
            "Alubias blancas cocidas 400 g|0.85",
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
            "Pimientos del piquillo 250 g|2.45",
            "Espárragos blancos 330 g|2.95",
            "Aceitunas manzanilla rellenas 350 g|1.35",
            "Maíz dulce 3x140 g|1.65",
            "Melocotón en almíbar 480 g|1.75",
        ],
    ),
    (
        "Alimentación",
        "Desayuno",
        "IVA reducido",
        Unit::Unit,
        &[
            "Café molido natural 250 g|2.85",
            "Café molido mezcla 250 g|2.65",
            "Café en cápsulas 10 uds|2.95",
            "Café soluble descafeinado 100 g|3.75",
            "Cacao soluble 760 g|4.95",
            "Cereales de maíz 500 g|2.25",
            "Copos de avena 500 g|1.35",
            "Muesli con frutas 500 g|2.75",
            "Galletas María 800 g|1.65",
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
            "Patatas prefritas congeladas 1 kg|1.55",
            "Croquetas de jamón 500 g|2.45",
            "Varitas de merluza 400 g|2.75",
            "Helado de vainilla 1 L|2.95",
            "Menestra de verduras 1 kg|1.95",
            "Langostinos congelados 500 g|6.95",
        ],
    ),
    (
        "Alimentación",
        "Snacks y dulces",
        "IVA reducido",
        Unit::Unit,
        &[
            "Patatas fritas clásicas 160 g|1.45",
            "Patatas fritas al punto de sal 150 g|1.55",
            "Almendras tostadas 200 g|2.65",
            "Pistachos 250 g|3.95",
            "Palomitas para microondas 3x100 g|1.35",
            "Chocolate con leche 100 g|1.10",
            "Chocolate negro 70% 100 g|1.45",
            "Turrón de Jijona 200 g|3.95",
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
            "Gaseosa Coca-Cola 2 L|2.15",
            "Coca-Cola Zero lata 33 cl|0.75",
            "Coca-Cola pack 12 latas|7.95",
            "Refresco de naranja 2 L|1.55",
            "Refresco de limón 2 L|1.55",
            "Gaseosa 1,5 L|0.65",
            "Tónica 1 L|1.25",
            "Bebida isotónica limón 50 cl|1.05",
            "Té frío al limón 1,5 L|1.35",
            "Bebida energética lata 50 cl|1.45",
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
            "Gazpacho 1 L|2.65",
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
            "Cerveza tostada botella 33 cl|0.95",
            "Cerveza IPA artesana 33 cl|2.25",
            "Cerveza con limón lata 33 cl|0.75",
        ],
    ),
    (
        "Bebidas",
        "Vinos y licores",
        "IVA general",
        Unit::Unit,
        &[
            "Vino tinto Rioja crianza 75 cl|6.95",
            "Vino tinto Ribera del Duero roble 75 cl|7.95",
            "Vino blanco Rueda verdejo 75 cl|5.45",
            "Vino rosado Navarra 75 cl|4.25",
            "Cava brut 75 cl|5.95",
            "Sangría 1,5 L|2.45",
            "Vermut rojo 1 L|6.45",
            "Sidra natural 70 cl|2.75",
        ],
    ),
    (
        "Droguería",
        "Limpieza del hogar",
        "IVA general",
        Unit::Unit,
        &[
            "Lejía 2 L|1.15",
            "Detergente líquido 40 lavados|7.95",
            "Suavizante 60 lavados|3.45",
            "Lavavajillas a mano 750 ml|1.65",
            "Pastillas lavavajillas 40 uds|6.95",
            "Limpiador multiusos 750 ml|1.85",
            "Friegasuelos 1,5 L|1.95",
            "Limpiacristales 750 ml|1.75",
            "Bayetas multiusos 3 uds|1.50",
            "Estropajo con esponja 3 uds|1.20",
            "Bolsas de basura 30 L 25 uds|1.95",
        ],
    ),
    (
        "Droguería",
        "Papel y celulosa",
        "IVA general",
        Unit::Unit,
        &[
            "Papel higiénico 12 rollos|4.95",
            "Papel de cocina 3 rollos|2.65",
            "Pañuelos de papel 10 paquetes|1.45",
            "Servilletas 100 uds|0.95",
            "Papel de aluminio 30 m|2.15",
            "Film transparente 50 m|1.85",
        ],
    ),
    (
        "Higiene y cuidado personal",
        "Higiene corporal",
        "IVA general",
        Unit::Unit,
        &[
            "Gel de ducha 750 ml|2.45",
            "Champú anticaspa 400 ml|3.25",
            "Champú familiar 750 ml|2.65",
            "Acondicionador 400 ml|2.35",
            "Desodorante roll-on 50 ml|2.15",
            "Jabón de manos 500 ml|1.45",
            "Crema hidratante corporal 400 ml|3.95",
            "Maquinillas de afeitar 5 uds|2.95",
            "Espuma de afeitar 250 ml|1.95",
        ],
    ),
    (
        "Higiene y cuidado personal",
        "Cuidado bucal",
        "IVA general",
        Unit::Unit,
        &[
            "Pasta de dientes 75 ml|1.65",
            "Pasta de dientes blanqueadora 75 ml|2.45",
            "Cepillo de dientes medio|1.35",
            "Enjuague bucal 500 ml|2.95",
            "Seda dental 50 m|1.95",
        ],
    ),
    (
        "Parafarmacia",
        "Medicamentos sin receta",
        "IVA superreducido",
        Unit::Unit,
        &[
            "Paracetamol 500 mg 20 comprimidos|1.95",
            "Paracetamol 1 g 40 comprimidos|2.60",
            "Ibuprofeno 400 mg 20 comprimidos|2.85",
            "Ácido acetilsalicílico 500 mg 20 comprimidos|2.45",
            "Antiácido masticable 24 comprimidos|4.95",
            "Pastillas para la garganta miel y limón 24 uds|5.45",
        ],
    ),
    (
        "Parafarmacia",
        "Primeros auxilios",
        "IVA general",
        Unit::Unit,
        &[
            "Tiritas surtidas 40 uds|2.95",
            "Gasas estériles 12 uds|1.95",
            "Alcohol 96º 250 ml|1.35",
            "Agua oxigenada 250 ml|0.95",
            "Termómetro digital|6.95",
            "Suero fisiológico 30 monodosis|3.45",
        ],
    ),
    (
        "Bebé",
        "Alimentación infantil",
        "IVA superreducido",
        Unit::Unit,
        &[
            "Leche de continuación 800 g|12.95",
            "Papilla de cereales 600 g|4.45",
            "Potito de verduras con pollo 250 g|1.35",
            "Tarrito de frutas 4x130 g|2.95",
        ],
    ),
    (
        "Bebé",
        "Higiene del bebé",
        "IVA general",
        Unit::Unit,
        &[
            "Pañales talla 4 44 uds|11.95",
            "Toallitas húmedas 80 uds|1.95",
            "Crema de pañal 100 ml|4.25",
            "Champú infantil 500 ml|3.15",
        ],
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
            let (product_name, price) = item.split_once('|').unwrap_or((item, "1.00"));
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
                    description: None,
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
    fn the_demo_shop_has_a_few_hundred_products_with_valid_prices() {
        let count: usize = GROUPS.iter().map(|g| g.4.len()).sum();
        assert!((200..=400).contains(&count), "{count}");
        let eur = Currency::parse("EUR").unwrap();
        for (_, _, rate, _, items) in GROUPS {
            assert!(TAX_RATES.iter().any(|(name, _)| name == rate), "{rate}");
            for item in *items {
                let (_, price) = item.split_once('|').unwrap();
                eur.parse_amount(price, "price", false).unwrap();
            }
        }
    }
}
