// The page's own words, in Japanese and English. Question texts come from the
// manifest; everything else the employee reads is here.

const ja = {
  loading: '読み込み中です…',
  brand: '匿名アンケート',
  toggleTo: 'English',
  groupHeading: 'あなたの回答の集計先',
  groupIntro: 'あなたの回答は、次のグループの回答として集計されます。',
  groupInvited: '（対象者{n}人）',
  finalNote: '送信した回答は、あとから変更できません。',
  starWord: '全体',
  groupStar:
    '「全体」となっている区分は、該当する人数が少ないため、匿名性を守るために区分を分けずにまとめて集計します。',
  minGroup: '結果は{k}人以上のまとまりごとにのみ集計され、個人が特定される形で公表されることはありません。',
  holdersMany:
    '回答は暗号化して保存され、鍵の保有者（{names}）の全員がそろわないと読めません。誰か一人だけでは読めず、全員がそろっても、誰の回答かは分かりません。',
  holdersOne:
    '回答は暗号化して保存され、鍵の保有者（{names}）だけが読めます。その人にも、誰の回答かは分かりません。',
  nameSep: '、',
  keyHeading: 'この調査の確認コード',
  keyNote: '人事部が社内ポータルで公開している確認コードと同じなら、このページは本物の調査につながっています。',
  keyDetails: '技術的な説明',
  keyTech:
    '確認コードは、回答を確かめる調査の公開鍵の「指紋」（SHA-256）です。回答券は、技術的には匿名トークン（RFC 9497）と呼ばれるもので、誰に渡したかを記録せずに一人一回の回答を保証します。',
  laterNote:
    '名前のつかない回答券を、このブラウザに保存しました。回答はすぐに送らなくても大丈夫です。入力内容もこのブラウザに保存されるので、ページを閉じても、このブラウザでリンクを開き直せば続きから送信できます（別のブラウザや端末では続けられません）。時間をおいて送ると、リンクを開いた時刻と回答がより結びつきにくくなります。',
  closes: '回答期限：{date}',
  closesAt: '{day} 23:59まで',
  otherTabHeading: 'このタブの回答は送信されていません',
  otherTab:
    'この調査には、同じリンクを開いた別のタブまたはウィンドウから、すでに回答が送信されました。このタブで入力した内容は送信されていません。回答は一人一回のため、送信済みの回答を変更することはできません。',
  showReceipt: '受付番号を表示する',
  storageWarn: 'このブラウザには保存できないため、ページを閉じると回答券と入力内容が失われ、このリンクでは回答できなくなります。通常のウィンドウで開き直すことをおすすめします。',
  issuing: '名前のつかない回答券を準備しています…',
  progress: '{i} / {n}',
  progressLabel: '{n}ページ中{i}ページ目',
  back: '戻る',
  next: '次へ',
  submit: '回答を送信する',
  sending: '送信しています…',
  required: '必須',
  draftRestored: '前回の入力内容を復元しました。',
  selectPrompt: '選択してください',
  counter: '{n} / {max}文字',
  npsLow: 'まったくすすめたくない',
  npsHigh: 'ぜひすすめたい',
  npsEnds: '0 は「{low}」、10 は「{high}」です。',
  errRequired: 'この質問にお答えください。',
  errRequiredRows: 'すべての項目にお答えください（未回答 {n}件）。',
  errType: '回答の形式が正しくありません。もう一度お答えください。',
  errRange: '選択肢にない回答です。もう一度お選びください。',
  errUnknown: 'この質問は調査に含まれていません。ページを再読み込みしてください。',
  errTooLong: '{max}文字以内で入力してください。',
  errDuplicate: '同じ選択肢が重複しています。もう一度お選びください。',
  errOther: '回答を確認してください。',
  shownMore: 'この回答により、質問が{n}問表示されました。',
  shownFewer: 'この回答により、{n}問の質問が対象外になりました。',
  errSummary: '回答を確認してください（{n}件）。',
  errSummaryRequired: '未回答の必須の質問があります（{n}件）。印のついた質問にお答えください。',
  doneHeading: '回答を受け付けました',
  doneThanks: 'ご協力ありがとうございました。',
  alreadyHeading: 'この調査にはすでに回答済みです',
  alreadySpent: 'この回答券では、すでに回答が送られています。あなたの回答は受け付け済みです。',
  receiptLabel: '受付番号',
  receiptNote:
    '受付番号から、誰が回答したかはわかりません。あなたの回答が集計に含まれたことを確かめるために、控えておいてください。',
  receiptCheck:
    '調査の終了後、次のページで、この受付番号が公開された一覧に含まれているかを確かめられます。このブラウザで開けば、受付番号は自動で入力されます。',
  receiptMismatch:
    'サーバーが返した受付番号が、この端末で計算した番号と一致しません。人事部にお知らせください。',
  copy: 'コピー',
  copied: 'コピーしました',
  checkButton: '受付番号の一覧を確認する',
  checking: '確認しています…',
  checkFound: '公開された一覧にこの受付番号があります。あなたの回答は集計に含まれています。',
  checkMissing: '公開された一覧にこの受付番号が見つかりません。番号を確かめて、それでも見つからない場合は人事部にお知らせください。',
  included: '含まれています',
  notIncluded: '含まれていません',
  listCount: '一覧の件数',
  listCountN: '{n}件',
  listDigest: '一覧のダイジェスト（SHA-256）',
  digestNote:
    'ダウンロードした一覧のファイルの SHA-256 はこのダイジェストと一致します。人事部が公表するダイジェストと比べれば、全員に同じ一覧が公開されていることを確かめられます。',
  download: '受付番号の一覧をダウンロード（テキストファイル）',
  receiptsHeading: '受付番号の確認',
  receiptsIntro:
    '調査の終了後に公開される受付番号の一覧に、あなたの受付番号が含まれているかを確かめられます。受付番号は、回答を送信したあとに表示された64文字の英数字です。このブラウザで回答した場合は、自動で入力されます。',
  receiptFilled: 'このブラウザに保存されていた受付番号を入力しました。',
  receiptInputLabel: '受付番号',
  receiptHint: '0〜9とa〜fの64文字。コピーして貼り付けてください（空白は無視されます）。',
  receiptBad: '受付番号は、0〜9とa〜fの64文字です。もう一度ご確認ください。',
  checkSubmit: '確認する',
  closedWiped: '送信されなかった入力内容と回答券は、このブラウザから削除しました。',
  closedReceipt: 'このブラウザには、このリンクで送った回答の受付番号が保存されています。回答が集計に含まれたかを確かめられます。',
  closedNoReceipt:
    'このブラウザには、このリンクで回答を送った記録はありません。別のブラウザや端末で回答した場合は、そこで表示された受付番号を次のページで確かめられます。',
  publicLink: '受付番号の確認ページを開く',
  checkNotYet: '一覧はまだ公開されていません。調査の終了後にもう一度お試しください。',
  checkFailed: '一覧を確認できませんでした。時間をおいてもう一度お試しください。',
  closedHeading: 'この調査は終了しました',
  replacedHeading: 'このリンクは新しいリンクに置き換えられました',
  replacedText:
    'この調査のリンクを新しくお送りしたため、このリンクは使えなくなりました。人事部から届いたいちばん新しいメール（または新しく受け取ったリンク）から回答してください。見当たらない場合は人事部にお問い合わせください。',
  closedText: '回答の受付は終了しています。ご協力ありがとうございました。',
  errorHeading: '問題が発生しました',
  retry: 'もう一度試す',
  network:
    'サーバーと通信できませんでした。入力内容はこの端末に保存されています。接続を確認して、もう一度お試しください。',
  badLink:
    'このリンクは使えません。新しいリンクが発行された可能性があります。人事部にお問い合わせください。',
  otherDevice:
    'このリンクは、すでに別の端末またはブラウザで使われています（そこで「回答を始める」が押されました）。このブラウザには、このリンクで回答した記録がありません。回答を始めた端末・ブラウザで続けてください。心当たりがない場合や、その端末・ブラウザが使えない場合は、人事部（調査の担当者）に新しいリンクの発行を依頼してください。新しいリンクが発行されると、このリンクは使えなくなります。',
  otherDeviceHeading: 'このリンクは別のブラウザで使われています',
  noSurvey: 'この調査は見つかりませんでした。リンクをご確認ください。',
  segmentUnknown:
    'このページの集計グループが調査の情報と一致しません。回答は送信されていません。人事部にお問い合わせください。',
  mismatch:
    'サーバーの応答が、この調査やグループと一致しません。回答は送信されていません。人事部にお問い合わせください。',
  keyMismatch:
    '調査の情報が確認コードと一致しません。安全のため、ここで中止します。人事部にお問い合わせください。',
  proof:
    'サーバーの応答を、確認コードの鍵で検証できませんでした。安全のため、ここで中止します。人事部にお問い合わせください。',
  tokenInvalid:
    '回答券を確認できなかったため、回答は受け付けられませんでした。回答券を取得し直して、もう一度送信してください。入力した回答はそのまま残ります。',
  tokenInvalidAgain:
    '回答券を取得し直しても確認できませんでした。入力した回答はこのブラウザに残っています。お手数ですが人事部にお問い合わせください。',
  restart: '回答券を取得し直す',
  tooLarge: '回答が大きすぎて送信できませんでした。自由記述を短くしてから、もう一度送信してください。',
  server: 'エラーが発生しました：{msg}',
  storageFailed:
    'このブラウザに回答券を保存できませんでした。ブラウザの設定で保存が許可されているか確認してください。',
  noInvite: 'このアドレスには招待コードが含まれていません。届いたリンクをそのまま開いてください。',
  startHeading: '回答を始める前に',
  startBrowser:
    'この調査には、このブラウザで最後まで回答します。「回答を始める」を押すと、このリンクはこのブラウザ専用になり、ほかのブラウザや端末では回答できなくなります。',
  startElsewhere:
    '別の端末やブラウザ（会社のパソコン、スマートフォンなど）で回答したい場合は、ここでは押さずに、その端末でリンクを開いてください。プライベートウィンドウやメールアプリの中のブラウザは、閉じると保存内容が消えることがあるため、おすすめしません。',
  startButton: '回答を始める',
};

const en = {
  loading: 'Loading…',
  brand: 'Anonymous survey',
  toggleTo: '日本語',
  groupHeading: 'Where your answers are counted',
  groupIntro: 'Your answers will be counted in this group:',
  groupInvited: ' ({n} people invited)',
  finalNote: 'Once sent, your answers cannot be changed.',
  starWord: 'all',
  groupStar:
    'Where it says "all", there are too few people to count separately, so they are counted together to protect anonymity.',
  minGroup:
    'Results are only reported for groups of at least {k} people, never in a way that identifies anyone.',
  holdersMany:
    'Answers are stored encrypted and can be read only when all the key holders ({names}) come together: no one alone can read them, and even together they cannot tell whose answers they are.',
  holdersOne:
    'Answers are stored encrypted and only the key holder ({names}) can read them, without being able to tell whose answers they are.',
  nameSep: ', ',
  keyHeading: 'This survey’s check code',
  keyNote: 'If it is the same as the check code HR has published on the intranet, this page leads to the real survey.',
  keyDetails: 'Technical details',
  keyTech:
    'The check code is the fingerprint (SHA-256) of the survey’s public key, which the answers are checked against. The answer ticket is what is technically called an anonymous token (RFC 9497): it allows one answer per person without recording whom it was given to.',
  laterNote:
    'An answer ticket without your name is now stored in this browser. You do not have to send your answers right away: what you enter is kept in this browser too, so you can close the page, open the link again in this browser and send later (not in another browser or device). Sending some time later makes it even harder to connect your answers to when you opened the link.',
  closes: 'Closes: {date}',
  closesAt: '{day}, 23:59',
  otherTabHeading: 'The answers in this tab were not sent',
  otherTab:
    'Answers to this survey were already sent from another tab or window with this link. What you entered in this tab was not sent. Everyone answers once, so the answers sent cannot be changed.',
  showReceipt: 'Show the receipt code',
  storageWarn: 'This browser cannot store anything: closing the page loses the answer ticket and what you entered, and this link can then no longer be used. Opening it in a normal window is recommended.',
  issuing: 'Preparing your answer ticket…',
  progress: '{i} / {n}',
  progressLabel: 'Page {i} of {n}',
  back: 'Back',
  next: 'Next',
  submit: 'Send my answers',
  sending: 'Sending…',
  required: 'Required',
  draftRestored: 'Your earlier answers have been restored.',
  selectPrompt: 'Please choose',
  counter: '{n} / {max} characters',
  npsLow: 'Not at all likely',
  npsHigh: 'Extremely likely',
  npsEnds: '0 means "{low}", 10 means "{high}".',
  errRequired: 'Please answer this question.',
  errRequiredRows: 'Please answer every statement ({n} left).',
  errType: 'This answer is not in the expected form. Please answer again.',
  errRange: 'That is not one of the options. Please choose again.',
  errUnknown: 'This question is not part of the survey. Please reload the page.',
  errTooLong: 'Please keep it within {max} characters.',
  errDuplicate: 'An option is listed twice. Please choose again.',
  errOther: 'Please check this answer.',
  shownMore: 'Because of this answer, {n} more question(s) are shown.',
  shownFewer: 'Because of this answer, {n} question(s) no longer apply.',
  errSummary: 'Please check your answers ({n}).',
  errSummaryRequired: 'Some required questions are not answered ({n}). Please answer the marked questions.',
  doneHeading: 'Your answers have been received',
  doneThanks: 'Thank you for taking part.',
  alreadyHeading: 'You have already answered this survey',
  alreadySpent: 'Answers were already sent with this answer ticket: your answers were received.',
  receiptLabel: 'Receipt code',
  receiptNote:
    'Your receipt code does not reveal who answered. Keep it to check that your answers were counted.',
  receiptCheck:
    'After the survey closes, the page below tells you whether this receipt code is in the published list. Opened in this browser, it fills the code in for you.',
  receiptMismatch:
    'The receipt code from the server does not match the one computed on this device. Please tell HR.',
  copy: 'Copy',
  copied: 'Copied',
  checkButton: 'Check the receipt list',
  checking: 'Checking…',
  checkFound: 'Your receipt code is in the published list: your answers were counted.',
  checkMissing: 'Your receipt code is not in the published list. Please check the code; if it is still not found, please tell HR.',
  included: 'Included',
  notIncluded: 'Not included',
  listCount: 'Receipts in the list',
  listCountN: '{n}',
  listDigest: 'Digest of the list (SHA-256)',
  digestNote:
    'The SHA-256 of the downloaded list file equals this digest. Compare it with the digest HR announces to be sure everyone sees the same list.',
  download: 'Download the receipt list (text file)',
  receiptsHeading: 'Check a receipt code',
  receiptsIntro:
    'After the survey closes, the list of receipt codes is published. Here you can check that your receipt code is in it. Your receipt code is the 64 letters and digits shown after you sent your answers; if you answered in this browser, it is filled in for you.',
  receiptFilled: 'The receipt code stored in this browser has been filled in.',
  receiptInputLabel: 'Receipt code',
  receiptHint: '64 characters, 0–9 and a–f. Copy and paste it (spaces are ignored).',
  receiptBad: 'A receipt code is 64 characters, 0–9 and a–f. Please check it again.',
  checkSubmit: 'Check',
  closedWiped: 'What you entered but never sent, and your answer ticket, have been deleted from this browser.',
  closedReceipt: 'This browser holds the receipt code of the answers you sent with this link. You can check that they were counted.',
  closedNoReceipt:
    'This browser has no record of answers sent with this link. If you answered in another browser or device, you can check the receipt code it showed you on the page below.',
  publicLink: 'Open the receipt check page',
  checkNotYet: 'The list is not published yet. Please try again after the survey closes.',
  checkFailed: 'The list could not be checked. Please try again later.',
  closedHeading: 'This survey is closed',
  replacedHeading: 'This link has been replaced by a newer one',
  replacedText:
    'A new link to this survey was sent to you, so this one no longer works. Please answer from the most recent e-mail from HR (or the new link you received). If you cannot find it, please ask HR.',
  closedText: 'Answers are no longer accepted. Thank you for your interest.',
  errorHeading: 'Something went wrong',
  retry: 'Try again',
  network:
    'The server could not be reached. What you entered is kept on this device. Please check your connection and try again.',
  badLink: 'This link cannot be used. A new link may have been issued to you. Please contact HR.',
  otherDevice:
    'This link has already been used in another browser or device (Start was pressed there). This browser has no record of answering with it. Please go on in the browser where you started. If that was not you, or you cannot use that browser, please ask HR (the survey team) for a new link; the new link replaces this one.',
  otherDeviceHeading: 'This link is in use in another browser',
  noSurvey: 'This survey could not be found. Please check the link.',
  segmentUnknown:
    'The group of this page does not match the survey. Nothing was sent. Please contact HR.',
  mismatch: 'The server answered for a different survey or group. Nothing was sent. Please contact HR.',
  keyMismatch:
    'The survey does not match its check code. To be safe, the page stops here. Please contact HR.',
  proof:
    'The server’s answer could not be verified against the check code’s key. To be safe, the page stops here. Please contact HR.',
  tokenInvalid:
    'Your answer ticket could not be verified, so your answers were not accepted. Fetch the ticket again and send once more; your answers stay as they are.',
  tokenInvalidAgain:
    'The ticket still could not be verified. Your answers are kept in this browser. Please contact HR.',
  restart: 'Fetch the ticket again',
  tooLarge: 'Your answers are too large to send. Please shorten your comments and send again.',
  server: 'An error occurred: {msg}',
  storageFailed:
    'Your answer ticket could not be stored in this browser. Please check that your browser allows sites to store data.',
  noInvite: 'This address has no invitation code. Please open the link exactly as you received it.',
  startHeading: 'Before you start',
  startBrowser:
    'You answer this survey in this browser from start to finish. When you press Start, this link belongs to this browser: it can no longer be used to answer in another browser or device.',
  startElsewhere:
    'If you want to answer on another device or browser (your work PC, your phone), do not press it here: open the link there instead. Private windows and the browsers inside mail apps may forget what they stored when closed, so they are not recommended.',
  startButton: 'Start',
};

const STRINGS = { ja, en };

// t('counter', 'ja', {n: 3, max: 4000}) -> "3 / 4000 文字"
export function t(key, lang, vars) {
  const table = STRINGS[lang] || ja;
  let s = table[key] !== undefined ? table[key] : ja[key];
  if (s === undefined) return key;
  for (const [k, v] of Object.entries(vars || {})) s = s.split(`{${k}}`).join(String(v));
  return s;
}
