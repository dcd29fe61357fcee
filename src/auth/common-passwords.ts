/**
 * The blocklist of passwords people really choose, for the password policy (matrix row U4, NIST
 * SP 800-63B §3.1.1.2: "passwords obtained from previous breach corpuses", "dictionary words",
 * "context-specific words"). It is short on purpose: the policy compares each password after
 * lower-casing, folding diacritics, undoing common letter-to-digit swaps and stripping a trailing
 * year, season number or "!", so "Sommar2026!", "l0senord" and "hemtjänst123" all land on one
 * entry here. Entries are lower case and NFC; a test keeps them so.
 *
 * Sources: the well-known top lists of leaked passwords, plus the Swedish words a care worker is
 * likely to reach for (seasons, months, the workplace, the employer, the name of this program).
 */

const ENGLISH = `
123456 123456789 12345678 12345 1234567 1234567890 111111 000000 123123 654321 666666 121212
112233 123321 7777777 987654321 password password1 passw0rd p@ssword p@ssw0rd qwerty qwerty123
qwertyuiop qwertz azerty asdfgh asdfghjkl zxcvbnm 1q2w3e4r 1q2w3e4r5t 1qaz2wsx qazwsx zaq12wsx
abc123 abcdef abcd1234 a1b2c3 aa123456 iloveyou loveyou lovely letmein welcome welcome1 admin
administrator root guest user login default changeme secret master monkey dragon football
baseball basketball soccer hockey princess sunshine shadow superman batman spiderman starwars
pokemon michael jennifer jordan jessica ashley charlie daniel thomas hunter killer trustno1
whatever freedom flower hello hello123 hellokitty cheese computer internet mustang maggie
ginger summer winter autumn spring samsung apple google facebook twitter linkedin microsoft
windows chocolate butterfly purple orange banana cookie pepper buster tigger soccer1 silver
golden diamond forever friends family matrix ninja junior biteme access mypassword
nothing blahblah zaq1zaq1 q1w2e3r4 test test123 testing demo temp temp123 pass pass123
passpass qwe123 asd123 zxc123 abcabc aaaaaa abcdefg abcdefgh 11111111 88888888 12341234
secret123 letmein1 welcome123 adminadmin administrator1 superuser sysadmin support
`;

const SWEDISH = `
lösenord lösen losenord losen lösenordet mittlösenord nyttlösenord hemligt hemlig hemlis
sommar vinter hösten höst våren vår sommaren vintern januari februari mars april maj juni juli
augusti september oktober november december måndag tisdag onsdag torsdag fredag lördag söndag
midsommar julafton jul påsk nyår semester välkommen välkommen1 hejsan hej hejhej tjena tjenare
hallå godmorgon godnatt tack jagälskardig älskling älskardig kärlek sverige svensk svenska
stockholm göteborg malmö uppsala västerås örebro linköping helsingborg jönköping norrköping
lund umeå gävle borås sundsvall eskilstuna karlstad växjö halmstad luleå kiruna gotland
norrland skåne småland dalarna värmland
hemtjänst hemtjänsten hemtjanst äldreomsorg äldreomsorgen omsorg omsorgen vård vården
vårdare undersköterska underskoterska sjuksköterska sjukskoterska sköterska sjukhus
sjukhem äldreboende boende boendet vårdboende korttids dagverksamhet nattpatrull natt
nattjobb dagpass kvällspass helg jobbet jobb arbete arbetet kontoret personal personalen
kommun kommunen kommunal regionen landstinget socialtjänst socialtjänsten biståndshandläggare
journal journalen reservjournal reservjournalen reserv nödläge nödåtkomst avbrott driftstopp
patient patienten brukare brukaren kund omvårdnad medicin mediciner larm trygghetslarm
nyckel nycklar nyckelskåp schema bemanning vikarie timvikarie chef enhetschef
kaffe fika kanelbulle semla glass choklad godis pizza kebab hamburgare korv
hund katt häst kanin fisk fågel björn varg älg räv ekorre
fotboll hockey handboll innebandy golf tennis bandy aik djurgården hammarby ifkgöteborg
malmöff frölunda färjestad luleåhockey brynäs skellefteå
volvo saab ikea abba zlatan pippi emil astrid
mamma pappa mormor morfar farmor farfar syster bror barn barnen familjen familj
anna maria eva karin kristina lena kerstin sara emma ingrid marie elin ida julia johanna
lars mikael anders johan erik per karl peter thomas daniel fredrik hans jan gustav oskar
hemma huset stugan landet skogen sjön havet solen månen stjärna regn snö
blomma rosen tulpan sommarblomma midnattssol blåbär lingon jordgubbe
glädje lycka hopp frihet tro kärlek123 livet
qwertyuiopå asdfghjklöä zxcvbnm123
`;

function words(text: string): string[] {
  return text.split(/\s+/).filter((w) => w !== '');
}

export const COMMON_PASSWORDS: ReadonlySet<string> = new Set([
  ...words(ENGLISH),
  ...words(SWEDISH),
]);
