/**
 * The commonest passwords and password stems, lower-case, written down for Steward from the well-known
 * public "most used passwords" rankings and the words people build passwords from (names, teams, seasons,
 * months, "password" in several languages, products). The policy ({@link ./password-policy.ts}) refuses a
 * password that is one of these once spaces, digits and symbols around it are stripped and look-alike
 * characters (`@` for `a`, `0` for `o`, …) are read as letters. The policy also checks zxcvbn-ts's maintained
 * list of the ~49,000 commonest passwords (`@zxcvbn-ts/language-common`) the same way.
 */
export const COMMON_PASSWORDS: ReadonlySet<string> = new Set(
  `
0000 000000 1111 11111 111111 11111111 112233 121212 123123 123123123 123321 1234 12344321 12345
123456 1234567 12345678 123456789 1234567890 1234567a 123456a 123456q 1234qwer 123654 123abc
123password 123qwe 131313 159753 1q2w3e 1q2w3e4r 1q2w3e4r5t 1q2w3e4r5t6y 1qaz2wsx 1qaz2wsx3edc
222222 232323 333333 555555 654321 666666 696969 777777 7777777 8675309 87654321 888888 88888888
987654 987654321 999999 a123456 aa123456 aaaaaa abc123 abc12345 abcabc abcd1234 abcdef abcdefg
abcdefgh access adidas admin admin123 admin1234 administrator alexandre allah allahakbar amanda
amazon andrea andrew android angel angel1 anthony anything apple april arsenal arsenal1 asd123
asdfasdf asdfgh asdfghjkl asdfghjkl123 ashley august austin autumn2024 avengers azerty azertyuiop
babygirl badboy bailey banana barcelona barney baseball baseball1 batman batman123 bayern berlin
beyonce bigdaddy bigdog bismillah biteme blessed blink182 bonjour booboo boomer boston brandon
brandy bulldog business buster butterfly camaro camille casper changeit changeme charles charlie
cheese chelsea chelsea1 chester cheval chicago chicken chocolat chris christ ciao cocacola coffee
company compaq computer computer1 contrasena cookie corvette cowboy cowboys crystal dakota dallas
daniel daniel1 darthvader database dcomics debian december default demo demo123 deutschland dexter
diablo diamond doraemon doudou dragon dragon1 eagles edward email eminem enter everything facebook
faith falcon february fender ferrari ficken fishing flower flowers football football1 forever
fortnite france freedom friday fussball gandalf gateway geheim george gfhjkm ghbdtn ginger gmail god
golden golfer google grace gryffindor guest guest123 guitar hallo hallo123 hamburg hammer hannah
hardcore harley harrypotter haslo heather heaven hello hello123 hellokitty helpdesk heslo hockey
hogwarts hola honey hope hotmail hunter iceman iloveme iloveu iloveyou iloveyou1 iloveyou123
instagram internet internet1 iphone ironman itsupport jackson james january jasmine jasper jedi
jelszo jennifer jessica jesus jesus1 johnny jordan jordan23 joseph joshua julien july june junior
justin justinbieber juventus kennwort killer killer1 knight lakers letmein letmein1 letmein123
letmeinnow linux liverpool login london loulou love lovely loveme loveyou lozinka macbook maggie
manager manchester march marina marine marlboro marseille martin marvel master master1 matrix
matrix123 matthew maverick may melissa mercedes merlin metallica michael michael1 michael123
michelle mickey microsoft midnight miller minecraft monday money monkey monkey1 monster morgan
motdepasse mother mustang mylove mypass mypassword mysql naruto nascar natasha ncc1701 neo netflix
network nicolas nicole nikita nirvana nopassword nothing november october office office365 oliver
onedirection open opensesame openup oracle orange outlook p4ssw0rd panties paris parola pass pass123
pass1234 passpass passw0rd passwd password password1 password12 password123 password1234
password12345 passwort passwort1 patrick peanut pepper phoenix pikachu player please pokemon porsche
postgres postgresql prince princess princess1 private privet purple q1w2e3 q1w2e3r4 q1w2e3r4t5
qaz123 qazwsx qazwsxedc qazwsxedcrfv qwe123 qwe123456 qwer1234 qwerty qwerty123 qwertyuiop
qwertyuiop123 qwertz qwertzuiop rabbit rachel raiders rainbow ranger rangers realmadrid redsox
richard rihanna robert roblox root root123 salasana salut samantha samsung saturday schalke schatz
schnuffel scooby scooter secret secret123 security senha september server service servicedesk sesame
shadow shadow1 sifre silver skywalker slayer smokey snoopy soccer soleil something sommer sparky
spider spiderman spongebob spring2024 starwars starwars1 steelers steven steward summer summer2023
summer2024 sunday sunflower sunshine sunshine1 superman superman1 support sweetheart sweetie taylor
temp temp123 tennis test test123 test1234 testing testtest thomas thomas1 thunder thursday tigers
tigger toor trinity trinity1 trustme trustno1 tuesday tupac twitter ubuntu user user123 victoria
wachtwoord wednesday welcome welcome1 welcome123 whatever whatever1 william windows winner winter
winter2024 wizard work wsx123 xxxxxx yahoo yamaha yankees yellow yourpassword youtube zaq12wsx
zaq1zaq1 zxc123 zxcvbn zxcvbnm zxcvbnm123
`
    .split(/\s+/)
    .filter((w) => w !== ''),
);
