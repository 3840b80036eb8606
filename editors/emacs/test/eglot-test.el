;;; eglot-test.el --- end-to-end test of noteproof-eglot.el  -*- lexical-binding: t; -*-

;; emacs --batch -Q -l eglot-test.el <repo-root> <noteproof-binary>
;; Uses eglot and markdown-mode from Debian's elpa-eglot / elpa-markdown-mode.
;; Prints "ok N - ..." per check and "N passed, M failed"; exits 1 on failure.
;; A watchdog timer ends the run after 60 s.

;;; Code:

(setq package-directory-list '("/usr/share/emacs/site-lisp/elpa"))
(package-initialize)
(require 'cl-lib)

(defvar noteproof-test-repo (expand-file-name (nth 0 command-line-args-left)))
(defvar noteproof-test-bin (expand-file-name (nth 1 command-line-args-left)))
(setq command-line-args-left nil)
(defvar noteproof-test-passed 0)
(defvar noteproof-test-failed 0)

(defun noteproof-test-out (fmt &rest args)
  (princ (concat (apply #'format fmt args) "\n")))

(defun noteproof-test-finish ()
  (noteproof-test-out "emacs eglot: %d passed, %d failed" noteproof-test-passed noteproof-test-failed)
  (kill-emacs (if (zerop noteproof-test-failed) 0 1)))

(run-at-time 60 nil (lambda ()
                      (noteproof-test-out "not ok - watchdog: the test took longer than 60 s")
                      (setq noteproof-test-failed (1+ noteproof-test-failed))
                      (noteproof-test-finish)))

(defmacro noteproof-test-check (name &rest body)
  (declare (indent 1))
  `(condition-case err
       (progn ,@body
              (setq noteproof-test-passed (1+ noteproof-test-passed))
              (noteproof-test-out "ok %d - %s" (+ noteproof-test-passed noteproof-test-failed) ,name))
     (error
      (setq noteproof-test-failed (1+ noteproof-test-failed))
      (noteproof-test-out "not ok %d - %s: %s" (+ noteproof-test-passed noteproof-test-failed) ,name
                          (error-message-string err)))))

(defun noteproof-test-limit (seconds)
  "SECONDS made generous (x3) and multiplied by NOTEPROOF_TEST_TIMEOUT_SCALE for loaded machines.
Waits end as soon as their event arrives, so this costs nothing when all is well."
  (let ((scale (string-to-number (or (getenv "NOTEPROOF_TEST_TIMEOUT_SCALE") "1"))))
    (* seconds 3 (if (> scale 0) scale 1))))

(defun noteproof-test-wait (what seconds predicate)
  (let* ((seconds (noteproof-test-limit seconds))
         (deadline (+ (float-time) seconds)))
    (while (and (not (funcall predicate)) (< (float-time) deadline))
      (accept-process-output nil 0.05))
    (unless (funcall predicate)
      (error "timed out after %s s waiting for %s" seconds what))))

;; The workspace: a copy of the seeds and a note in a subfolder.
(defvar noteproof-test-root (file-name-as-directory (file-truename (make-temp-file "noteproof-eglot-" t))))
(copy-directory (expand-file-name "seeds" noteproof-test-repo) (expand-file-name "seeds" noteproof-test-root) nil t t)
(defvar noteproof-test-note (expand-file-name "notes/brief.md" noteproof-test-root))
(make-directory (file-name-directory noteproof-test-note) t)
(with-temp-file noteproof-test-note
  (insert-file-contents (expand-file-name "examples/brief.md" noteproof-test-repo))
  (goto-char (point-max))
  (insert "\nThe toll rose again [@0003].\nFour attackers set fire to the venue [@002].\n"))

;; The snippet under test, as a user would load it.
(load (expand-file-name "editors/emacs/noteproof-eglot.el" noteproof-test-repo) nil t)
(setq noteproof-eglot-command (list noteproof-test-bin "lsp"))
(setq eglot-sync-connect 10)

(find-file noteproof-test-note)
(markdown-mode)

(noteproof-test-check "eglot connects; the project root is the folder with seeds/"
  (apply #'eglot (eglot--guess-contact))
  (noteproof-test-wait "the server" 10 (lambda () (eglot-current-server)))
  (let ((root (project-root (eglot--project (eglot-current-server)))))
    (unless (equal (file-name-as-directory (expand-file-name root)) noteproof-test-root)
      (error "root %s, expected %s" root noteproof-test-root))))

(defun noteproof-test-diagnostic (text)
  "The flymake diagnostic whose message contains TEXT."
  (cl-find-if (lambda (d) (string-match-p (regexp-quote text) (flymake-diagnostic-text d)))
              (flymake-diagnostics)))

(noteproof-test-check "flymake shows unknown-source on `007' of [@007] at the exact range"
  (noteproof-test-wait "the diagnostics" 15 (lambda () (noteproof-test-diagnostic "`@007` names no article")))
  (let* ((d (noteproof-test-diagnostic "`@007` names no article"))
         (start (save-excursion (goto-char (point-min)) (search-forward "[@007]") (- (point) 4))))
    (unless (and (= (flymake-diagnostic-beg d) start) (= (flymake-diagnostic-end d) (+ start 3)))
      (error "range %s-%s, expected %s-%s" (flymake-diagnostic-beg d) (flymake-diagnostic-end d) start (+ start 3)))
    (unless (eq (flymake-diagnostic-type d) 'eglot-error)
      (error "type %s" (flymake-diagnostic-type d)))))

(noteproof-test-check "flymake shows quote-wrong-source on the quotation cited to [@003]"
  (let ((d (noteproof-test-diagnostic "does not contain")))
    (unless d (error "none in %S" (mapcar #'flymake-diagnostic-text (flymake-diagnostics))))
    (unless (= (flymake-diagnostic-beg d) (save-excursion (goto-char (point-min)) (search-forward "“Ukrainian") (- (point) 10)))
      (error "starts at %s" (flymake-diagnostic-beg d)))))

(noteproof-test-check "hover on [@000]: the article title and a quoted sentence"
  (goto-char (point-min))
  (search-forward "were injured [@0")
  (let* ((hover (jsonrpc-request (eglot-current-server) :textDocument/hover (eglot--TextDocumentPositionParams)))
         (value (plist-get (plist-get hover :contents) :value)))
    (unless (and (stringp value)
                 (string-match-p "Efforts to search for and rescue injured people" value)
                 (string-match-p "^> .*had risen to 139" value))
      (error "hover: %S" value))))

(noteproof-test-check "xref-find-definitions on [@002] opens seeds/002_….txt at the matching sentence"
  (goto-char (point-min))
  (search-forward "venue [@00")
  (let ((note (current-buffer)))
    (call-interactively #'xref-find-definitions)
    (noteproof-test-wait "the jump" 5 (lambda () (not (eq (current-buffer) note))))
    (unless (string-suffix-p "seeds/002_768581a09abd6eab.txt" (or buffer-file-name ""))
      (error "in %s" buffer-file-name))
    (unless (looking-at "Four attackers shot")
      (error "at line %d: %s" (line-number-at-pos) (buffer-substring (point) (line-end-position))))
    (switch-to-buffer note)))

(noteproof-test-check "M-x eglot-code-actions, choosing \"Cite 27 Mar 2024 [@003] instead\", turns [@0003] into [@003]"
  (goto-char (point-min))
  (search-forward "[@0003")
  (backward-char 2)
  (let (offered)
    ;; Answer eglot's menu as a keyboard user would (a key event: completing-read, not a popup).
    (cl-letf ((last-nonmenu-event ?a)
              ((symbol-function 'completing-read)
               (lambda (_prompt collection &rest _)
                 (setq offered (all-completions "" collection))
                 (or (cl-find-if (lambda (title) (string-prefix-p "Cite 27 Mar 2024 [@003] instead" title)) offered) "")))) 
      (eglot-code-actions (point) (point) "quickfix" t))
    (unless (cl-find-if (lambda (title) (string-prefix-p "Cite 27 Mar 2024 [@003] instead" title)) offered)
      (error "offered: %S" offered))
    (noteproof-test-wait "the edit" 5 (lambda ()
                                        (save-excursion (goto-char (point-min))
                                                        (search-forward "The toll rose again [@003]." nil t))))))

(ignore-errors (eglot-shutdown (eglot-current-server)))
(delete-directory noteproof-test-root t)
(noteproof-test-finish)

;;; eglot-test.el ends here
