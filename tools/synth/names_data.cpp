// Given names and family names by region. Written for this tool; spelling variants and old
// spellings (oe, dj, tj) are produced in names.cpp, not listed here.

#include "names_data.hpp"

namespace satupintu::synth::names {
namespace {

// clang-format off
constexpr std::string_view kJavaneseMale[] = {
  "Slamet", "Sugeng", "Bambang", "Joko", "Budi", "Suparman", "Sutrisno", "Sunarto", "Wahyudi",
  "Agus", "Heru", "Eko", "Dwi", "Tri", "Sugiyanto", "Suyanto", "Paijo", "Parno", "Tukiman",
  "Sukirno", "Gatot", "Hadi", "Sutarno", "Warsito", "Mulyono", "Supriyadi", "Purwanto",
  "Haryanto", "Subagyo", "Kasno", "Darmo", "Karyono", "Waluyo", "Sarmin", "Prapto", "Teguh",
  "Widodo", "Yanto", "Sigit", "Sukardi", "Suwarno", "Ngadimin", "Tumijan", "Edi", "Rohmat"};
constexpr std::string_view kJavaneseFemale[] = {
  "Sri", "Wahyuni", "Sumiyati", "Suparmi", "Tutik", "Endang", "Rahayu", "Lestari", "Suwarni",
  "Ngatini", "Painem", "Tukiyem", "Sulastri", "Sumarni", "Murni", "Darmi", "Wartini", "Sutinah",
  "Parinem", "Kasmini", "Yuliana", "Ratna", "Puji", "Sunarsih", "Wiwik", "Ngadiyem", "Sukini",
  "Winarti", "Harti", "Warsini", "Karsini", "Tarmini", "Rini", "Yanti", "Kustini", "Suprapti",
  "Ismiyati", "Tumini", "Sumini", "Dwi", "Tri"};
constexpr std::string_view kJavaneseMale2[] = {
  "Santoso", "Susanto", "Prasetyo", "Wibowo", "Nugroho", "Setiawan", "Hartono", "Purnomo",
  "Wijaya", "Kurniawan", "Raharjo", "Saputro", "Pamungkas", "Utomo", "Cahyono", "Suharto",
  "Sulistyo", "Pranoto", "Widodo", "Hidayat", "Wicaksono", "Priyanto", "Suryanto", "Budiman"};
constexpr std::string_view kJavaneseFemale2[] = {
  "Lestari", "Rahayu", "Wulandari", "Handayani", "Susanti", "Suryani", "Astuti", "Wahyuningsih",
  "Kurniasih", "Puspitasari", "Ningsih", "Rahmawati", "Pratiwi", "Utami", "Setyowati",
  "Fatmawati", "Indriyani", "Hartini", "Sulistyowati", "Purwaningsih", "Mulyani", "Yuliati"};

constexpr std::string_view kSundaneseMale[] = {
  "Asep", "Ujang", "Dede", "Cecep", "Iwan", "Dadang", "Entis", "Yayan", "Acep", "Aceng", "Deden",
  "Jajang", "Engkus", "Ayi", "Ade", "Dadan", "Endang", "Usep", "Otong", "Ikin", "Nandang",
  "Wawan", "Kurnia", "Hendi", "Yana", "Dodi", "Tatang", "Ruhiyat", "Sopyan", "Mamat", "Oman",
  "Udin", "Engkos", "Dedi", "Saepudin", "Saepulloh", "Ruslan", "Cahya", "Aep", "Encep", "Didin",
  "Nanang", "Yusup", "Agus", "Rahmat"};
constexpr std::string_view kSundaneseFemale[] = {
  "Euis", "Neneng", "Imas", "Enok", "Cucu", "Iis", "Yeti", "Popon", "Eneng", "Nining", "Teti",
  "Enung", "Lilis", "Titin", "Ela", "Nenah", "Onih", "Ai", "Yanti", "Elis", "Oneng", "Tini",
  "Enden", "Ikah", "Odah", "Juju", "Enah", "Mimin", "Rohimah", "Nani", "Dewi", "Wati", "Heni",
  "Rina", "Ipah", "Iyah", "Entin", "Empat", "Kokom", "Nia", "Siti"};
constexpr std::string_view kSundaneseMale2[] = {
  "Suryana", "Sukmana", "Hidayat", "Permana", "Sutisna", "Sumarna", "Kusnadi", "Supriatna",
  "Rahmat", "Ruhiyat", "Gunawan", "Kurniawan", "Saputra", "Setiawan", "Nurjaman", "Somantri",
  "Mulyana", "Sobari", "Firmansyah", "Suherman", "Sudrajat", "Hermawan", "Nugraha", "Kosasih"};
constexpr std::string_view kSundaneseFemale2[] = {
  "Rohaeti", "Nurhayati", "Kurniasih", "Sumiati", "Rostika", "Komalasari", "Sulastri", "Rosita",
  "Yuliani", "Maryani", "Herawati", "Mulyani", "Nurjanah", "Hasanah", "Jubaedah", "Maesaroh",
  "Aisah", "Rohmawati", "Sumarni", "Fitriani", "Nurlaela", "Apriani"};

constexpr std::string_view kBetawiMale[] = {
  "Rojali", "Mamat", "Juned", "Sabeni", "Salim", "Zaenal", "Udin", "Amat", "Sarip", "Mansur",
  "Rohman", "Syafei", "Jaelani", "Ridwan", "Ma'ruf", "Muhidin", "Rais", "Naman", "Sapri", "Mail",
  "Husin", "Jamal", "Nasir", "Rahmat", "Saiful", "Abdullah", "Anwar", "Haris", "Fadli", "Misar",
  "Samsudin", "Bachtiar", "Jum'at"};
constexpr std::string_view kBetawiFemale[] = {
  "Romlah", "Maesaroh", "Munaroh", "Rohaye", "Fatimah", "Mursidah", "Saodah", "Zubaedah",
  "Mumun", "Enoh", "Rodiah", "Masitoh", "Hamidah", "Nurjanah", "Salmah", "Mariam", "Hasanah",
  "Rukayah", "Jamilah", "Sa'adah", "Khodijah", "Aminah", "Halimah", "Rohimah", "Nafisah",
  "Mardiyah", "Nurhasanah"};
constexpr std::string_view kBetawiMale2[] = {
  "Hidayat", "Syahputra", "Maulana", "Abdullah", "Hasan", "Rahman", "Saputra", "Firdaus",
  "Ramadhan", "Hakim", "Effendi", "Sulaiman"};
constexpr std::string_view kBetawiFemale2[] = {
  "Nurhayati", "Hasanah", "Fauziah", "Rahmawati", "Zahro", "Maryam", "Solehah", "Aminah",
  "Rohmah", "Aisyah"};

constexpr std::string_view kMinangMale[] = {
  "Afrizal", "Yusrizal", "Syafrizal", "Zulhendri", "Nofrizal", "Dedi", "Rusli", "Zulkifli",
  "Darmawan", "Erwin", "Jasman", "Syahrial", "Irwan", "Hendri", "Yuswardi", "Efendi", "Asril",
  "Yulizar", "Masrul", "Rahmat", "Alfian", "Fauzi", "Amril", "Bujang", "Zainal", "Nasrul",
  "Syafril", "Yondri", "Zulfahmi", "Rinaldi", "Jufri"};
constexpr std::string_view kMinangFemale[] = {
  "Elvi", "Yenni", "Ratna", "Rosnida", "Yusnita", "Desmawati", "Erlinda", "Nurhayati",
  "Syamsinar", "Yulinar", "Erni", "Fitri", "Nelvi", "Rosmaini", "Nurbaiti", "Yusniar", "Zulfa",
  "Asnidar", "Darnis", "Mardiana", "Sofia", "Yasnidar", "Rahmi", "Nilawati", "Rosna", "Upik"};
constexpr std::string_view kMinangMale2[] = {
  "Putra", "Syahputra", "Effendi", "Chaniago", "Piliang", "Tanjung", "Koto", "Sikumbang",
  "Jambak", "Malin", "Sutan", "Marajo"};
constexpr std::string_view kMinangFemale2[] = {
  "Yanti", "Wati", "Rahmi", "Sari", "Dewi", "Hayati", "Susanti", "Nengsih", "Yulianti", "Novita"};

constexpr std::string_view kBugisMale[] = {
  "Baso", "Beddu", "Arsyad", "Hasanuddin", "Syamsuddin", "Sudirman", "Amiruddin", "Jumadi",
  "Ansar", "Rusdi", "Nasrullah", "Haeruddin", "Kamaruddin", "Syahrir", "Mappa", "Lantara",
  "Sangkala", "Tajuddin", "Rahim", "Amir", "Bahar", "Lukman", "Jamaluddin", "Irfan", "Sultan",
  "Firman", "Muhlis", "Nurdin", "Syarifuddin", "Ambo", "Sahabuddin"};
constexpr std::string_view kBugisFemale[] = {
  "Nurhayati", "Hasnah", "Becce", "Sitti", "Ramlah", "Hasmawati", "Nurmiati", "Rosmiati",
  "Suriani", "Hamsinah", "Nurbaya", "Hadijah", "Saripa", "Marlina", "Nurlina", "Sumarni",
  "Hasni", "Jumriah", "Hasriani", "Nurhaedah", "Rahmatia", "Indo", "Hasmiah", "Nursiah",
  "Murni", "Darmawati"};
constexpr std::string_view kBugisMale2[] = {
  "Syam", "Amir", "Rahman", "Arifin", "Hamzah", "Basri", "Said", "Tahir", "Yusuf", "Ali",
  "Hakim", "Nur", "Mustari", "Jufri"};
constexpr std::string_view kBugisFemale2[] = {
  "Aminah", "Hasanah", "Nurhayati", "Rahmawati", "Sari", "Wati", "Hamid", "Ramlah", "Syamsiah"};

constexpr std::string_view kAcehneseMale[] = {
  "Zulkifli", "Fauzan", "Rahmat", "Mukhtar", "Zainal", "Husaini", "Ridwan", "Bustami",
  "Marzuki", "Razali", "Syahrul", "Iskandar", "Jailani", "Azhari", "Munawar", "Fadhil",
  "Khairul", "Safrizal", "Zulfikar", "Nurdin", "Armia", "Yusri", "Mahdi", "Ismail", "Samsul",
  "Muzakir", "Ilyas", "Ibrahim", "Darwis", "Hasbi", "Mursyid", "Abdullah"};
constexpr std::string_view kAcehneseFemale[] = {
  "Nurul", "Nurhayati", "Rosmawar", "Fatimah", "Zahara", "Mariani", "Nurlela", "Asmaul",
  "Rahmah", "Hafsah", "Khairunnisa", "Rosmiati", "Nuraini", "Salmiah", "Ainul", "Maisarah",
  "Zuraida", "Mardhiah", "Husna", "Syarifah", "Raihan", "Cut Nyak", "Safiah", "Nurbaiti"};
constexpr std::string_view kAcehneseMale2[] = {
  "Abdullah", "Hasan", "Usman", "Daud", "Yusuf", "Amin", "Idris", "Saleh", "Umar", "Hanafiah",
  "Syah", "Ali"};
constexpr std::string_view kAcehneseFemale2[] = {
  "Husna", "Hayati", "Fitri", "Zahra", "Aini", "Rahmah", "Maulidar", "Munawarah", "Ulfa"};

constexpr std::string_view kMalayMale[] = {
  "Ahmad", "Abdul Rahman", "Hasan", "Husin", "Ismail", "Ibrahim", "Yusuf", "Ridwan", "Syamsul",
  "Zainal", "Rahmat", "Hamdan", "Salman", "Ilham", "Arifin", "Anwar", "Syahrial", "Hendra",
  "Iskandar", "Amir", "Baharuddin", "Mahmud", "Nasir", "Fauzi", "Junaidi", "Rusli", "Saiful",
  "Darmawan", "Hasbi", "Abdul Karim", "Abdul Latif", "Sofyan", "Ma'mun"};
constexpr std::string_view kMalayFemale[] = {
  "Siti Aminah", "Fatimah", "Aisyah", "Nurhayati", "Rosmini", "Halimah", "Zainab", "Khadijah",
  "Mariam", "Salmah", "Rahmah", "Nurhasanah", "Jamilah", "Hasanah", "Rukiah", "Asmah",
  "Maimunah", "Rohani", "Saodah", "Norma", "Nuraini", "Maryam", "Zubaidah", "Hafsah",
  "Juliana", "Sarifah", "Nur Aini", "Mu'minah"};
constexpr std::string_view kMalayMale2[] = {
  "Hidayat", "Syahputra", "Effendi", "Saputra", "Rahman", "Hakim", "Hasibuan", "Ramadhan",
  "Maulana", "Kurniawan", "Firmansyah", "Setiawan", "Ali", "Syah"};
constexpr std::string_view kMalayFemale2[] = {
  "Wati", "Sari", "Hayati", "Rahmawati", "Fitriani", "Susanti", "Yanti", "Ningsih", "Fauziah",
  "Hasanah", "Aminah"};

constexpr std::string_view kBatakMale[] = {
  "Rudolf", "Jhonson", "Parlindungan", "Maruli", "Hotman", "Poltak", "Binsar", "Togar", "Sahat",
  "Marihot", "Robert", "Saut", "Bonar", "Rikardo", "Daniel", "Yosua", "Samuel", "Hendrik",
  "Ferdinand", "Monang", "Manahan", "Halomoan", "Tumpal", "Jonggi", "Paulus", "Andreas", "Benny",
  "Gomgom", "Lamhot", "Sahala", "Pardamean"};
constexpr std::string_view kBatakFemale[] = {
  "Maria", "Kristina", "Rosmawati", "Tiur", "Rumondang", "Lasma", "Sondang", "Nurmala",
  "Romauli", "Dameria", "Taruli", "Hotnida", "Rosdiana", "Lamria", "Duma", "Melati", "Ester",
  "Debora", "Ruth", "Marta", "Friska", "Yohana", "Elisabeth", "Lusiana", "Tiurma", "Santi",
  "Rotua", "Masniari"};
constexpr std::string_view kBatakMale2[] = {
  "Parulian", "Hasudungan", "Pandapotan", "Martua", "Tua", "Parsaoran", "Halomoan", "Mangapul",
  "Sihol", "Marhusip"};
constexpr std::string_view kBatakFemale2[] = {
  "Rosmawati", "Rumiris", "Hotmaida", "Tiurlan", "Nurhasanah", "Sinta", "Lamtiur", "Roslina"};

constexpr std::string_view kChineseMale[] = {
  "Hendra", "Susanto", "Budi", "Rudi", "Hartono", "Johan", "Steven", "Kevin", "William",
  "Yohanes", "Andi", "Eddy", "Hengky", "Ferry", "Lukas", "Antonius", "Fransiskus", "Robert",
  "Sugianto", "Tommy", "Jimmy", "Ricky", "Herman", "Gunadi", "Darmadi", "Sumarno", "Ivan",
  "Andr\xC3\xA9"};
constexpr std::string_view kChineseFemale[] = {
  "Lina", "Fransiska", "Susi", "Meiliana", "Lily", "Yenny", "Linda", "Shinta", "Mei", "Lanny",
  "Vera", "Wenny", "Stefani", "Jessica", "Felicia", "Veronika", "Irene", "Maria", "Christina",
  "Melinda", "Ellen", "Grace", "Natalia", "Olivia", "Angela", "Liliana", "Sulistiawati"};
constexpr std::string_view kChineseMale2[] = {"Setiadi", "Santoso", "Hadi", "Wibowo", "Darmawan"};
constexpr std::string_view kChineseFemale2[] = {"Dewi", "Sari", "Kurnia", "Puspita", "Lestari"};

constexpr std::string_view kPapuanMale[] = {
  "Yohanes", "Markus", "Yakobus", "Petrus", "Marthen", "Yonas", "Yeremias", "Otto", "Nikolaus",
  "Zakheus", "Yulius", "Matius", "Obed", "Lukas", "Melkias", "Benyamin", "Elias", "Demianus",
  "Set", "Herman", "Frans", "Simon", "Alberth", "Yance", "Derek", "Daud", "Yosafat", "Musa"};
constexpr std::string_view kPapuanFemale[] = {
  "Agustina", "Maria", "Yosina", "Naomi", "Martha", "Ruth", "Yuliana", "Mince", "Selfina",
  "Orpa", "Ester", "Yohana", "Debora", "Magdalena", "Fransina", "Sarah", "Elisabeth", "Rahel",
  "Antonia", "Paulina", "Yakomina", "Marice", "Dorkas", "Ance", "Lea", "Susana"};
constexpr std::string_view kPapuanMale2[] = {"Agustinus", "Yulianus", "Paulus", "Stefanus"};
constexpr std::string_view kPapuanFemale2[] = {"Maria", "Yuliana", "Theresia", "Regina"};

constexpr std::string_view kEastChristianMale[] = {
  "Yohanes", "Fransiskus", "Petrus", "Paulus", "Agustinus", "Yoseph", "Stefanus", "Dominikus",
  "Aloysius", "Benediktus", "Marthen", "Johny", "Frederik", "Hendrik", "Jefri", "Ronald",
  "Stenly", "Fredy", "Alfons", "Herman", "Yakob", "Arnold", "Silvester", "Vinsensius", "Yeheskiel"};
constexpr std::string_view kEastChristianFemale[] = {
  "Maria", "Yuliana", "Agustina", "Fransiska", "Magdalena", "Theresia", "Veronika", "Yosefina",
  "Anastasia", "Elisabeth", "Margaretha", "Kristina", "Katarina", "Bernadeta", "Helena",
  "Martha", "Selvi", "Meiske", "Marlin", "Deasy", "Jeane", "Olivia", "Novita", "Sisilia"};
constexpr std::string_view kEastChristianMale2[] = {"Yohanes", "Petrus", "Paulus", "Agustinus",
                                                    "Antonius", "Yosef"};
constexpr std::string_view kEastChristianFemale2[] = {"Maria", "Yuliana", "Theresia", "Imaculata",
                                                      "Fransiska"};

// Balinese given names, after the caste/birth-order part ("I Wayan", "Ni Made").
constexpr std::string_view kBalineseMale[] = {
  "Sudarsana", "Suardana", "Mertayasa", "Wirawan", "Sukadana", "Artawan", "Budiasa",
  "Darmawan", "Sutama", "Suparta", "Arnawa", "Sujana", "Merta", "Astawa", "Gunawan", "Suarjana",
  "Wardana", "Adnyana", "Parwata", "Sudiarta", "Widiana", "Ariawan", "Suastika", "Mahendra"};
constexpr std::string_view kBalineseFemale[] = {
  "Suartini", "Sukerti", "Wartini", "Sudiartini", "Ariani", "Sumiasih", "Suwitri", "Sriasih",
  "Astiti", "Puspitasari", "Darmini", "Widiastuti", "Suciati", "Rasmini", "Sukarini", "Merti",
  "Kartini", "Ayu Lestari", "Sunariasih", "Yuliantari", "Dewi", "Suryani"};
constexpr std::string_view kBalineseMale2[] = {"Putra", "Saputra", "Wijaya", "Pratama"};
constexpr std::string_view kBalineseFemale2[] = {"Dewi", "Sari", "Lestari", "Yanti"};

constexpr std::string_view kModernMuslimMale[] = {
  "Rizki", "Fajar", "Dimas", "Reza", "Aditya", "Fadli", "Rafi", "Alif", "Rehan", "Farhan",
  "Arka", "Daffa", "Zaki", "Raka", "Bayu", "Ilham", "Gilang", "Naufal", "Rangga", "Satria",
  "Akbar", "Haikal", "Azka", "Kenzie", "Arsya", "Fathir", "Abdillah", "Alvin", "Yusuf", "Rizal"};
constexpr std::string_view kModernMuslimFemale[] = {
  "Nabila", "Aulia", "Putri", "Nayla", "Salsabila", "Zahra", "Aisyah", "Keisha", "Alya", "Anisa",
  "Dinda", "Syifa", "Amelia", "Nadia", "Citra", "Intan", "Aqila", "Khansa", "Kirana", "Adinda",
  "Rahma", "Fitria", "Safira", "Najwa", "Azzahra", "Hana", "Siti", "Nur"};
constexpr std::string_view kModernMuslimMale2[] = {
  "Ramadhan", "Pratama", "Saputra", "Putra", "Maulana", "Hidayat", "Firmansyah", "Nugraha",
  "Al Fatih", "Akbar", "Kurniawan", "Alfarizi", "Prasetyo", "Hakim"};
constexpr std::string_view kModernMuslimFemale2[] = {
  "Putri", "Lestari", "Rahmawati", "Safitri", "Azzahra", "Ramadhani", "Oktaviani", "Maharani",
  "Aprilia", "Febriani", "Khairunnisa", "Anggraini", "Nurul Aini"};
constexpr std::string_view kModernChristianMale[] = {
  "Kevin", "Yosua", "Samuel", "Christian", "Jonathan", "Gabriel", "Immanuel", "Daniel",
  "Michael", "Nathan", "Kristian", "Rafael", "Yehezkiel"};
constexpr std::string_view kModernChristianFemale[] = {
  "Grace", "Natalia", "Angelina", "Cindy", "Clara", "Yessica", "Priskila", "Gloria",
  "Tesalonika", "Agnes", "Jessica", "Cecilia", "Kezia"};
constexpr std::string_view kModernChristianMale2[] = {"Putra", "Pratama", "Kristian", "Immanuel"};
constexpr std::string_view kModernChristianFemale2[] = {"Putri", "Natalia", "Angelina", "Sari"};

constexpr std::string_view kBatakMargaList[] = {
  "Siregar", "Nasution", "Simanjuntak", "Sitompul", "Hutagalung", "Sinaga", "Lubis", "Harahap",
  "Pasaribu", "Situmorang", "Tampubolon", "Panjaitan", "Manurung", "Simatupang", "Sihombing",
  "Ginting", "Tarigan", "Sembiring", "Purba", "Damanik", "Saragih", "Hutapea", "Silalahi",
  "Napitupulu", "Marpaung", "Sitorus", "Nainggolan", "Siahaan", "Hutabarat", "Pardede",
  "Simbolon", "Gultom", "Sianturi", "Aritonang", "Simamora"};
constexpr std::string_view kBatakMuslimMargaList[] = {
  "Nasution", "Lubis", "Harahap", "Siregar", "Hasibuan", "Rangkuti", "Batubara", "Daulay",
  "Pohan", "Pulungan", "Dalimunthe", "Ritonga"};
constexpr std::string_view kChineseSurnameList[] = {
  "Wijaya", "Gunawan", "Halim", "Tanoto", "Salim", "Tanjaya", "Kurniawan", "Santoso",
  "Setiawan", "Hartono", "Sutanto", "Tanuwijaya", "Lim", "Tan", "Wibisono", "Tjandra",
  "Hermawan", "Susilo", "Kusuma", "Kosasih", "Tanudjaja", "Lie", "Liem", "Tjahjadi", "Widjaja",
  "Sugiarto", "Hendrawan"};
constexpr std::string_view kPapuanClanList[] = {
  "Wenda", "Tabuni", "Kogoya", "Wanimbo", "Rumbiak", "Mandowen", "Kaisiepo", "Yoman", "Wonda",
  "Murib", "Enembe", "Kambu", "Rumaropen", "Ayomi", "Sawaki", "Msen", "Wakerkwa", "Karoba",
  "Yikwa", "Telenggen", "Gobai", "Pigai", "Tebay", "Douw", "Mote", "Degei", "Yeimo", "Kossay",
  "Wetipo", "Kareth", "Rumkorem", "Sanadi", "Yarisetouw", "Mirino"};
constexpr std::string_view kNttSurnameList[] = {
  "Bria", "Nahak", "Seran", "Manek", "Bere", "Lake", "Tefa", "Nenabu", "da Costa", "Fernandez",
  "Pareira", "Lado", "Ndun", "Kolo", "Tallo", "Fanggidae", "Bengu", "Dethan", "Amalo", "Riwu",
  "Messakh", "Pello", "Taek", "Ully"};
constexpr std::string_view kMinahasaSurnameList[] = {
  "Wowor", "Lumenta", "Tumbelaka", "Rondonuwu", "Mandagi", "Pangemanan", "Sumampouw", "Lengkong",
  "Kaunang", "Sondakh", "Tambuwun", "Rumengan", "Wenas", "Runtuwene", "Kalalo", "Lumowa",
  "Supit", "Tumewu", "Walangitan", "Mamahit", "Polii", "Rompas"};
constexpr std::string_view kMalukuSurnameList[] = {
  "Pattinama", "Matulessy", "Tuhumury", "Wattimena", "Pattiasina", "Siahaya", "Lewerissa",
  "Sahetapy", "Latumahina", "Pattikawa", "Tamaela", "Soplanit", "Leiwakabessy", "Manuhutu",
  "Ririmasse", "Titaley", "Noya", "Lekatompessy", "Huwae", "Sopacua"};
// clang-format on

}  // namespace

const Lists kJavanese{kJavaneseMale, kJavaneseFemale, kJavaneseMale2, kJavaneseFemale2};
const Lists kSundanese{kSundaneseMale, kSundaneseFemale, kSundaneseMale2, kSundaneseFemale2};
const Lists kBetawi{kBetawiMale, kBetawiFemale, kBetawiMale2, kBetawiFemale2};
const Lists kMinang{kMinangMale, kMinangFemale, kMinangMale2, kMinangFemale2};
const Lists kBugis{kBugisMale, kBugisFemale, kBugisMale2, kBugisFemale2};
const Lists kAcehnese{kAcehneseMale, kAcehneseFemale, kAcehneseMale2, kAcehneseFemale2};
const Lists kMalay{kMalayMale, kMalayFemale, kMalayMale2, kMalayFemale2};
const Lists kBatakChristian{kBatakMale, kBatakFemale, kBatakMale2, kBatakFemale2};
const Lists kChinese{kChineseMale, kChineseFemale, kChineseMale2, kChineseFemale2};
const Lists kPapuan{kPapuanMale, kPapuanFemale, kPapuanMale2, kPapuanFemale2};
const Lists kEastChristian{kEastChristianMale, kEastChristianFemale, kEastChristianMale2,
                           kEastChristianFemale2};
const Lists kBalinese{kBalineseMale, kBalineseFemale, kBalineseMale2, kBalineseFemale2};
const Lists kModernMuslim{kModernMuslimMale, kModernMuslimFemale, kModernMuslimMale2,
                          kModernMuslimFemale2};
const Lists kModernChristian{kModernChristianMale, kModernChristianFemale, kModernChristianMale2,
                             kModernChristianFemale2};
const List kBatakMarga{kBatakMargaList};
const List kBatakMuslimMarga{kBatakMuslimMargaList};
const List kChineseSurnames{kChineseSurnameList};
const List kPapuanClans{kPapuanClanList};
const List kNttSurnames{kNttSurnameList};
const List kMinahasaSurnames{kMinahasaSurnameList};
const List kMalukuSurnames{kMalukuSurnameList};

}  // namespace satupintu::synth::names
