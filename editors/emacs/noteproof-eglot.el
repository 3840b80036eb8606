;;; noteproof-eglot.el --- noteproof language server with eglot  -*- lexical-binding: t; -*-

;; Load it from your init file, e.g.
;;   (load "/path/to/noteproof/editors/emacs/noteproof-eglot.el")
;;   (add-hook 'markdown-mode-hook #'eglot-ensure)
;; Needs eglot (built in since Emacs 29; `apt install elpa-eglot' or M-x package-install
;; on Emacs 28) and markdown-mode. Set `noteproof-eglot-command' if `noteproof' is not on PATH.

;;; Code:

(require 'eglot)
(require 'project)

(defvar noteproof-eglot-command '("noteproof" "lsp")
  "The noteproof language server command.")

(defun noteproof-eglot-project (dir)
  "A project rooted where noteproof would look: `noteproof.json', else a `seeds/' folder.
Notes in subfolders then share the workspace root and its corpus."
  (let ((root (or (locate-dominating-file dir "noteproof.json")
                  (locate-dominating-file dir (lambda (d) (file-directory-p (expand-file-name "seeds" d)))))))
    (and root (cons 'transient (expand-file-name root)))))

(add-hook 'project-find-functions #'noteproof-eglot-project)

(add-to-list 'eglot-server-programs
             `((markdown-mode gfm-mode) . ,(lambda (&rest _) noteproof-eglot-command)))

(provide 'noteproof-eglot)
;;; noteproof-eglot.el ends here
